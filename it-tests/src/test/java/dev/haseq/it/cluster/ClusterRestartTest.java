package dev.haseq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.it.cluster.NodeClient.BlockInfo;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole cluster stops and starts again from what it persisted. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterRestartTest extends ClusterTest {
    private static final Pattern STOPPED_AT = Pattern.compile("node (\\S+) stopped at height (\\d+)");

    @Test
    void restartedClusterContinuesFromThePersistedHead() throws Exception {
        cluster = LocalCluster.create(dir, 3);
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitHeight(15, Duration.ofSeconds(60));
        long before = cluster.minHeight();
        Map<Long, BlockInfo> chainBefore = Chains.sameChain(cluster.nodes, before);

        cluster.nodes.forEach(NodeProcess::terminate);
        long persistedHead = 0;
        for (NodeProcess n : cluster.nodes) {
            assertThat(n.awaitExit(Duration.ofSeconds(45))).as("%s exit code; log:\n%s", n.id, n.logTail(20)).isZero();
            Matcher m = STOPPED_AT.matcher(n.logText());
            long last = -1;
            while (m.find()) {
                last = Long.parseLong(m.group(2));
            }
            assertThat(last).as("%s logged its head when it stopped", n.id).isGreaterThanOrEqualTo(before);
            persistedHead = Math.max(persistedHead, last);
        }

        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitHeight(persistedHead + 10, Duration.ofSeconds(90));
        long height = cluster.minHeight();
        Map<Long, BlockInfo> chainAfter = Chains.sameChain(cluster.nodes, height);

        // the old blocks are still there, unchanged, and the chain goes on from them without a gap
        Chains.noHeightHasTwoHashes(chainBefore, chainAfter);
        assertThat(chainAfter.keySet()).containsAll(chainBefore.keySet());
        assertThat(chainAfter.get(persistedHead + 1).previousHash()).isEqualTo(chainAfter.get(persistedHead).hash());
        for (NodeProcess n : cluster.nodes) {
            assertThat(n.logText()).as("%s rejoined with its state", n.id).contains("rejoining with existing state");
        }
    }
}
