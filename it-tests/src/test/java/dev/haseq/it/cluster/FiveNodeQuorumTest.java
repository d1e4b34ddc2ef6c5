package dev.haseq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Five nodes tolerate two failures; a third stops production until a node returns. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FiveNodeQuorumTest extends ClusterTest {
    /** Long enough for anything already replicated to a quorum to be learned by every survivor. */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Test
    void productionSurvivesTwoKillsStopsWithoutQuorumAndResumesWhenANodeReturns() throws Exception {
        cluster = LocalCluster.create(dir, 5);
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(120));
        cluster.awaitHeight(10, Duration.ofSeconds(60));
        NodeProcess leader = cluster.awaitSteadyLeader(3, Duration.ofSeconds(60));

        // two down, one of them the leader: three of five are a quorum
        NodeProcess follower = cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        leader.kill();
        follower.kill();
        NodeProcess next = cluster.awaitLeader(Duration.ofSeconds(30));
        long h1 = cluster.maxHeight();
        cluster.awaitHeight(h1 + 10, Duration.ofSeconds(60));

        // a third down: two of five can commit nothing
        NodeProcess third = cluster.alive().stream().filter(n -> n != next).findFirst().orElseThrow();
        third.kill();
        List<NodeProcess> minority = cluster.alive();
        assertThat(minority).hasSize(2);
        Waits.sleep(SETTLE);
        long stalled = cluster.maxHeight();
        Waits.sleep(SETTLE);
        assertThat(cluster.maxHeight()).as("height without a quorum, %s", cluster.describe()).isEqualTo(stalled);
        for (NodeProcess n : minority) {
            assertThat(n.isAlive()).as("%s keeps running without a quorum", n.id).isTrue();
        }

        // one returns: quorum again, production resumes on the same chain
        third.start();
        cluster.awaitLeader(Duration.ofSeconds(60));
        cluster.awaitHeight(stalled + 10, Duration.ofSeconds(90));
        long height = cluster.minHeight();
        Chains.sameChain(cluster.alive(), height);
    }
}
