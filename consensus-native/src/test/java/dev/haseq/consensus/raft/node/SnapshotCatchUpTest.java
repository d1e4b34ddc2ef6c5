package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.consensus.raft.transport.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCatchUpTest {
    @TempDir
    Path dir;

    private static Map<String, String> frequentSnapshots() {
        Map<String, String> s = new HashMap<>(LocalCluster.testTimings());
        s.put("raft.snapshot_threshold", "20");
        s.put("raft.trailing_logs", "5");
        return s;
    }

    @Test
    void aNodeDownForLongerThanTrailingLogsComesBackThroughASnapshot() {
        try (LocalCluster c = new LocalCluster(3, dir, frequentSnapshots())) {
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

    /**
     * The node restores a received snapshot on its applier thread, after the Raft loop moved on.
     * If the leader took a newer snapshot meanwhile and compacted the entries after the one just
     * sent, it sends the newer one at once; committing that one to the store before the restore
     * opened the first made the restore find the wrong snapshot and stop the node. The follower
     * must take no snapshot until the restore is done, then take the newer one.
     */
    @Test
    void aNewerSnapshotIsTakenOnlyOnceTheReceivedOneIsRestored() {
        StorageKit mem = StorageKit.mem();
        GatedSnapshots snapshots = new GatedSnapshots(mem.snapshots());
        StorageKit kit = new StorageKit("in-memory, gated snapshots", mem.log(), mem.stable(), snapshots, mem.crash());
        try (LocalCluster c = new LocalCluster(3, dir, frequentSnapshots(), kit, i -> new RecordingStateMachine())) {
            c.startAll();
            int leader = c.awaitLeader();
            int lagging = (leader + 1) % 3;
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                expected.add("a-" + i);
                c.propose("a-" + i);
            }
            c.awaitReplicated(lagging, expected);
            c.halt(lagging);
            for (int i = 0; i < 30; i++) {
                expected.add("b-" + i);
                c.propose("b-" + i);
            }
            Await.until(LocalCluster.WAIT, "a snapshot past what the lagging node has",
                    () -> maxSnapshotIndex(c, lagging) > 5 + 5);
            long first = maxSnapshotIndex(c, lagging);

            // The lagging node receives the first snapshot and is held while committing it...
            snapshots.gate(c.raftDir(lagging));
            c.start(lagging);
            Await.until(LocalCluster.WAIT, "the lagging node commits the first snapshot", snapshots::commitWaiting);
            // ...while the others go on: a newer snapshot, and the entries after the first compacted away.
            for (int i = 0; i < 30; i++) {
                expected.add("c-" + i);
                c.propose("c-" + i);
            }
            Await.until(LocalCluster.WAIT, "a newer snapshot that compacted the entries after the first",
                    () -> maxSnapshotIndex(c, lagging) > first + 10);
            snapshots.holdRestores();
            snapshots.releaseCommits();
            Await.until(LocalCluster.WAIT, "the restore of the first snapshot waits", snapshots::restoreWaiting);
            int failuresBefore = sendFailures(c, lagging);
            Await.until(LocalCluster.WAIT, "the leader tried to send the newer snapshot meanwhile",
                    () -> snapshots.committedAbove(first) || sendFailures(c, lagging) >= failuresBefore + 2);
            assertThat(snapshots.committedAbove(first)).as("a newer snapshot committed during the restore").isFalse();
            snapshots.releaseRestores();

            Await.until(LocalCluster.WAIT, "the lagging node applies everything, or fails",
                    () -> c.rec(lagging).size() >= expected.size() || !c.listeners.get(lagging).failures.isEmpty());
            assertThat(c.listeners.get(lagging).failures).isEmpty();
            assertThat(c.rec(lagging).entries()).isEqualTo(expected);
            assertThat(c.listeners.get(lagging).snapshotsInstalled.get()).as("the first, then the newer one")
                    .isEqualTo(2);
        }
    }

    private static long maxSnapshotIndex(LocalCluster c, int except) {
        long max = 0;
        for (int i = 0; i < c.size; i++) {
            if (i != except && c.running(i)) {
                max = Math.max(max, c.nodes[i].status().snapshotIndex());
            }
        }
        return max;
    }

    private static int sendFailures(LocalCluster c, int except) {
        int n = 0;
        for (int i = 0; i < c.size; i++) {
            if (i != except) {
                n += c.listeners.get(i).snapshotSendFailures.get();
            }
        }
        return n;
    }

    /**
     * Snapshot stores whose one gated node's store holds commits, and (once asked) openLatest,
     * until the test releases them.
     */
    private static final class GatedSnapshots implements SnapshotStoreProvider {
        private final SnapshotStoreProvider real;
        private final CountDownLatch commits = new CountDownLatch(1);
        private final CountDownLatch restores = new CountDownLatch(1);
        private final List<SnapshotMeta> committed = new CopyOnWriteArrayList<>();
        private volatile Path gated;
        private volatile boolean holdRestores;
        private volatile boolean commitWaiting;
        private volatile boolean restoreWaiting;

        GatedSnapshots(SnapshotStoreProvider real) {
            this.real = real;
        }

        void gate(Path raftDir) {
            gated = raftDir;
        }

        boolean commitWaiting() {
            return commitWaiting;
        }

        boolean restoreWaiting() {
            return restoreWaiting;
        }

        void releaseCommits() {
            commits.countDown();
        }

        void holdRestores() {
            holdRestores = true;
        }

        void releaseRestores() {
            restores.countDown();
        }

        boolean committedAbove(long index) {
            return committed.stream().anyMatch(m -> m.index() > index);
        }

        private static void await(CountDownLatch gate) {
            try {
                if (!gate.await(LocalCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public SnapshotStore open(StorageContext context) {
            SnapshotStore store = real.open(context);
            Path g = gated;
            return g == null || !context.directory().startsWith(g) ? store : new ForwardingSnapshotStore(store) {
                @Override
                public Writer create(SnapshotMeta meta) {
                    return new ForwardingWriter(super.create(meta)) {
                        @Override
                        public SnapshotMeta commit() {
                            commitWaiting = true;
                            await(commits);
                            SnapshotMeta m = super.commit();
                            committed.add(m);
                            return m;
                        }
                    };
                }

                @Override
                public Optional<Reader> openLatest() {
                    if (holdRestores) {
                        restoreWaiting = true;
                        await(restores);
                    }
                    return super.openLatest();
                }
            };
        }
    }
}
