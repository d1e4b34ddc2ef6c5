package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusContext;
import dev.haseq.api.consensus.ConsensusListener;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.testing.FreePorts;
import dev.haseq.consensus.raft.transport.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleNodeTest {
    @TempDir
    Path dir;

    @Test
    void withRaftDisabledTheNodeIsAOneMemberClusterThatLeadsAndCommitsAlone() throws Exception {
        int port = FreePorts.pick(1).getFirst();
        RaftSettings s = RaftSettings.parse(Map.of(RaftSettings.RAFT_ADDR, "127.0.0.1:" + port,
                RaftSettings.HEARTBEAT_TIMEOUT, "100ms", RaftSettings.ELECTION_TIMEOUT, "400ms",
                RaftSettings.LEADER_LEASE_TIMEOUT, "50ms"), dir).orThrow();
        StorageKit kit = StorageKit.mem();
        RecordingStateMachine sm = new RecordingStateMachine();
        ConsensusContext ctx = new ConsensusContext(s, sm, kit.log(), kit.stable(), kit.snapshots(), StorageEvents.NONE,
                ConsensusListener.NONE, Clock.systemUTC());
        RaftNode n = new RaftNode(ctx, new SplittableRandom(3));
        try {
            assertThat(n.transportStats()).as("nothing to count before start()").isEmpty();
            n.start();
            Await.until(LocalCluster.WAIT, "the single node leads", n::isLeader);
            Committed c = n.propose("solo".getBytes()).get(10, TimeUnit.SECONDS);
            assertThat(c.index()).isPositive();
            assertThat(sm.entries()).containsExactly("solo");
            assertThat(n.status().peers()).isEmpty();
            assertThat(n.transportStats()).hasValueSatisfying(t -> assertThat(t.peers()).isEmpty());
            assertThat(n.barrier().get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(c.index());
        } finally {
            n.close();
        }
    }
}
