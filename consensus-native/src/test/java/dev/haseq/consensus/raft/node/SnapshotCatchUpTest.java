package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.consensus.raft.transport.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCatchUpTest {
    @TempDir
    Path dir;

    @Test
    void aNodeDownForLongerThanTrailingLogsComesBackThroughASnapshot() {
        Map<String, String> s = new HashMap<>(LocalCluster.testTimings());
        s.put("raft.snapshot_threshold", "20");
        s.put("raft.trailing_logs", "5");
        try (LocalCluster c = new LocalCluster(3, dir, s)) {
            c.startAll();
            int leader = c.awaitLeader();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                expected.add("a-" + i);
                c.propose("a-" + i);
            }
            int lagging = (leader + 1) % 3;
            c.awaitReplicated(lagging, expected);
            c.halt(lagging);
            for (int i = 0; i < 120; i++) {
                expected.add("b-" + i);
                c.propose("b-" + i);
            }
            int now = c.awaitLeader();
            Await.until(LocalCluster.WAIT, "the leader compacted past what the lagging node has",
                    () -> c.nodes[now].status().snapshotIndex() > 5 + 5);
            c.start(lagging);
            c.awaitReplicated(lagging, expected);
            assertThat(c.listeners.get(lagging).snapshotsInstalled.get()).isPositive();
            assertThat(c.rec(lagging).restores()).isPositive();
            assertThat(c.listeners.get(now).snapshotsSent.get()).isPositive();
            assertThat(c.listeners.get(lagging).snapshotReceivesStarted.get()).as("receive started, follower side")
                    .isPositive();
            Await.until(LocalCluster.WAIT, "the leader hears that the follower holds the snapshot",
                    () -> c.listeners.get(now).snapshotSendsFinished.get() > 0);
            c.propose("c");
            expected.add("c");
            c.awaitReplicated(expected);
        }
    }
}
