package dev.haseq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haseq.it.cluster.NodeClient.BlockInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leader process dies (SIGKILL) or is stopped (SIGTERM) while the cluster works. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LeaderFailoverTest extends ClusterTest {
    @Test
    void sigkilledLeaderIsReplacedWithoutForkGapOrLossOfAcknowledgedTransactions() throws Exception {
        cluster = LocalCluster.create(dir, 3);
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitHeight(10, Duration.ofSeconds(60));

        try (TxLoad load = new TxLoad(cluster, 3, 2_000).start()) {
            Waits.until(Duration.ofSeconds(60), "20 transactions are acknowledged", () -> load.acked() >= 20,
                    cluster::describe);
            NodeProcess old = cluster.awaitSteadyLeader(5, Duration.ofSeconds(60));
            Map<Long, BlockInfo> seenBeforeKill = Chains.linkedChain(old, old.api.height());
            long oldHeight = seenBeforeKill.size();

            old.kill();
            int ackedAtKill = load.acked();
            List<NodeProcess> survivors = cluster.alive();
            NodeProcess next = cluster.awaitLeader(Duration.ofSeconds(30));
            assertThat(next.id).isNotEqualTo(old.id);
            cluster.awaitHeight(oldHeight + 10, Duration.ofSeconds(60), survivors);
            Waits.until(Duration.ofSeconds(60), "20 more transactions are acknowledged after the kill",
                    () -> load.acked() >= ackedAtKill + 20, cluster::describe);
            load.stop();

            long height = cluster.maxHeight();
            cluster.awaitHeight(height, Duration.ofSeconds(30), survivors);
            Map<Long, BlockInfo> chain = Chains.sameChain(survivors, height);
            Chains.noHeightHasTwoHashes(seenBeforeKill, chain);
            long lastByOld = chain.values().stream().filter(b -> b.proposer().equals(old.id))
                    .mapToLong(BlockInfo::height).max().orElseThrow();
            BlockInfo firstAfter = chain.get(lastByOld + 1);
            assertThat(firstAfter).as("the block after the killed leader's last one").isNotNull();
            assertThat(firstAfter.proposer()).isNotEqualTo(old.id);
            System.out.printf("SIGKILL failover: last block by %s at height %d, next by %s %.0f ms later "
                    + "(block timestamps); %d txs acknowledged, %d retries%n", old.id, lastByOld,
                    firstAfter.proposer(), (firstAfter.timestampNanos() - chain.get(lastByOld).timestampNanos()) / 1e6,
                    load.acked(), load.retries.get());

            assertThat(load.acknowledged).hasSizeGreaterThanOrEqualTo(40);
            for (Map.Entry<String, Long> tx : load.acknowledged.entrySet()) {
                assertThat(chain.get(tx.getValue()).txHashes()).as("acknowledged tx %s at height %d", tx.getKey(),
                        tx.getValue()).contains(tx.getKey());
            }
            for (NodeProcess s : survivors) {
                String sample = load.acknowledged.keySet().iterator().next();
                JsonNode status = s.api.get("/tx/" + sample, Duration.ofSeconds(5)).body();
                assertThat(status.path("height").asLong()).isEqualTo(load.acknowledged.get(sample));
            }

            // the killed node comes back and converges on the same chain
            old.start();
            cluster.awaitHeight(height, Duration.ofSeconds(90), List.of(old));
            Chains.sameChain(cluster.nodes, height);
        }
    }

    @Test
    void sigtermedLeaderHandsOverBeforeItExitsZero() throws Exception {
        cluster = LocalCluster.create(dir, 3);
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitHeight(20, Duration.ofSeconds(60));
        NodeProcess old = cluster.awaitSteadyLeader(5, Duration.ofSeconds(60));

        old.terminate();
        int exit = old.awaitExit(Duration.ofSeconds(45));

        assertThat(exit).as("exit code of the SIGTERMed leader; log:\n%s", old.logTail(30)).isZero();
        assertThat(old.logText()).as("the stopped leader's log").contains("(leader: handing leadership over first)")
                .contains("handed leadership to").contains("stopped cleanly");
        List<NodeProcess> survivors = cluster.alive();
        NodeProcess next = cluster.awaitLeader(Duration.ofSeconds(30));
        assertThat(next.id).isNotEqualTo(old.id);
        long handedAt = cluster.maxHeight();
        cluster.awaitHeight(handedAt + 10, Duration.ofSeconds(60), survivors);
        long height = cluster.minHeight();
        Map<Long, BlockInfo> chain = Chains.sameChain(survivors, height);
        long lastByOld = chain.values().stream().filter(b -> b.proposer().equals(old.id))
                .mapToLong(BlockInfo::height).max().orElseThrow();
        BlockInfo firstAfter = chain.get(lastByOld + 1);
        assertThat(firstAfter.proposer()).isNotEqualTo(old.id);
        System.out.printf("SIGTERM handover: block gap %.0f ms between %s's last block (height %d) and %s's "
                + "first (block time %s)%n", (firstAfter.timestampNanos() - chain.get(lastByOld).timestampNanos()) / 1e6,
                old.id, lastByOld, firstAfter.proposer(), LocalCluster.BLOCK_TIME);

        // the stopped node rejoins with its state
        old.start();
        cluster.awaitHeight(height, Duration.ofSeconds(90), List.of(old));
        Chains.sameChain(cluster.nodes, height);
    }
}
