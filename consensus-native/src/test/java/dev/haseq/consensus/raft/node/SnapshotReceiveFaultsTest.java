package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.storage.RaftLayout;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageException;
import dev.haseq.consensus.raft.transport.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower receiving a snapshot over real TCP, whose snapshot store misbehaves: a restart in the
 * middle of the transfer (the partial snapshot is lost) and a store that cannot create the
 * snapshot file (a storage failure: the follower stops, the others carry on).
 */
class SnapshotReceiveFaultsTest {
    /** Entries of this many characters make the leader's snapshot span several 1 MiB chunks. */
    private static final int BIG = 60_000;
    private static final int THRESHOLD = 20;

    @TempDir
    Path dir;

    /** In-memory snapshot stores; the one in {@link #victimDir} misbehaves as armed. */
    private static final class FaultySnapshots implements SnapshotStoreProvider {
        final SnapshotStoreProvider real;
        volatile Path victimDir;
        volatile boolean failCreate;
        /** Armed: the second chunk write counts it down, then waits until {@link #release} holds. */
        volatile CountDownLatch atSecondChunk;
        volatile BooleanSupplier release = () -> true;
        /** Victim writers closed without a commit, with the bytes they had taken. */
        final List<Written> abandoned = new CopyOnWriteArrayList<>();
        /** Victim snapshots committed. */
        final List<Written> committed = new CopyOnWriteArrayList<>();
        /** The writer whose second chunk the test stopped the node at. */
        volatile SnapshotMeta interrupted;

        FaultySnapshots(SnapshotStoreProvider real) {
            this.real = real;
        }

        @Override
        public String name() {
            return "faulty-mem";
        }

        @Override
        public SnapshotStore open(StorageContext c) {
            SnapshotStore store = real.open(c);
            return c.directory().equals(victimDir) ? new Victim(store) : store;
        }

        private final class Victim extends ForwardingSnapshotStore {
            Victim(SnapshotStore store) {
                super(store);
            }

            @Override
            public Writer create(SnapshotMeta meta) {
                if (failCreate) {
                    throw new StorageException("cannot create a snapshot file in " + victimDir
                            + ": No space left on device (simulated)");
                }
                Writer w = super.create(meta);
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                int[] writes = {0};
                boolean[] done = {false};
                OutputStream out = new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        CountDownLatch latch = atSecondChunk;
                        if (++writes[0] == 2 && latch != null) {
                            atSecondChunk = null;
                            interrupted = meta;
                            latch.countDown();
                            Await.until(LocalCluster.WAIT, "the test halts the receiving node", release);
                        }
                        w.stream().write(b, off, len);
                        copy.write(b, off, len);
                    }
                };
                return new ForwardingWriter(w) {
                    @Override
                    public OutputStream stream() {
                        return out;
                    }

                    @Override
                    public SnapshotMeta commit() {
                        SnapshotMeta m = super.commit();
                        done[0] = true;
                        committed.add(new Written(meta, copy.toByteArray()));
                        return m;
                    }

                    @Override
                    public void close() {
                        if (!done[0]) {
                            done[0] = true;
                            abandoned.add(new Written(meta, copy.toByteArray()));
                        }
                        super.close();
                    }
                };
            }
        }
    }

    /** What one writer of the follower's snapshot store took. */
    private record Written(SnapshotMeta meta, byte[] bytes) {
        @Override
        public String toString() {
            return meta.name() + ": " + bytes.length + " bytes";
        }
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new HashMap<>(LocalCluster.testTimings());
        s.put("raft.snapshot_threshold", String.valueOf(THRESHOLD));
        s.put("raft.trailing_logs", "5");
        return s;
    }

    private static String entry(String name, int size) {
        return name + "-" + "x".repeat(Math.max(0, size - name.length() - 1));
    }

    /**
     * Node {@code lagging} misses 80 entries of {@code size} characters while the leader
     * snapshots and compacts past its log: it can only catch up through a snapshot. Returns the
     * entries every node must end with.
     */
    private static List<String> leaveBehind(LocalCluster c, int lagging, int size) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add("a-" + i);
            c.propose("a-" + i);
        }
        c.awaitReplicated(lagging, expected);
        c.halt(lagging);
        for (int i = 0; i < 80; i++) {
            String e = entry("b-" + i, size);
            expected.add(e);
            c.propose(e);
        }
        int leader = c.awaitLeader();
        // Every snapshot due is taken (a newer one would restart the transfer, by design).
        Await.until(LocalCluster.WAIT, "the leader took every snapshot due", () -> {
            var st = c.nodes[leader].status();
            return st.appliedIndex() == st.commitIndex() && st.appliedIndex() - st.snapshotIndex() < THRESHOLD;
        });
        assertThat(c.nodes[leader].status().snapshotIndex()).as("compacted past the lagging node's log")
                .isGreaterThan(5 + 5);
        return expected;
    }

    @Test
    void aFollowerRestartedInTheMiddleOfASnapshotTransferGetsTheWholeSnapshotAgainAndVerifiesIt()
            throws Exception {
        StorageKit mem = StorageKit.mem();
        FaultySnapshots snaps = new FaultySnapshots(mem.snapshots());
        StorageKit kit = new StorageKit("mem, faulty snapshots", mem.log(), mem.stable(), snaps, mem.crash());
        try (LocalCluster c = new LocalCluster(3, dir, settings(), kit, i -> new RecordingStateMachine())) {
            c.startAll();
            int lagging = (c.awaitLeader() + 1) % 3;
            snaps.victimDir = RaftLayout.snapshotDir(c.raftDir(lagging));
            List<String> expected = leaveBehind(c, lagging, BIG);

            CountDownLatch second = new CountDownLatch(1);
            snaps.release = () -> !c.nodes[lagging].isStartedAndOpen();
            snaps.atSecondChunk = second;
            c.start(lagging);
            assertThat(second.await(LocalCluster.WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the second chunk reached the lagging node's store").isTrue();
            c.halt(lagging); // the partial snapshot, a chunk of 1 MiB or two in, is lost
            SnapshotMeta lost = snaps.interrupted;
            assertThat(snaps.abandoned).as("the partial snapshot was discarded")
                    .anySatisfy(w -> {
                        assertThat(w.meta()).isEqualTo(lost);
                        assertThat(w.bytes().length).isGreaterThanOrEqualTo(1 << 20);
                    });
            assertThat(snaps.committed).as("committed before the restart").noneMatch(w -> w.meta().equals(lost));

            c.start(lagging);
            c.awaitReplicated(lagging, expected);
            assertThat(c.rec(lagging).restores()).as("restored from the received snapshot").isPositive();
            Written received = snaps.committed.stream().filter(w -> w.meta().index() >= lost.index()).findFirst()
                    .orElseThrow(() -> new AssertionError("no snapshot at or after " + lost.name() + " committed: "
                            + snaps.committed));
            assertThat(received.bytes().length).as("a snapshot of several chunks").isGreaterThan(2 << 20);
            RecordingStateMachine fromSnapshot = new RecordingStateMachine();
            fromSnapshot.restore(new ByteArrayInputStream(received.bytes()));
            assertThat(fromSnapshot.entries()).as("the received snapshot's state")
                    .isEqualTo(expected.subList(0, fromSnapshot.size()));
            assertThat(fromSnapshot.size()).isGreaterThan(5 + 5);

            c.propose("c");
            expected.add("c");
            c.awaitReplicated(expected);
        }
    }

    @Test
    void aFollowerWhoseSnapshotStoreCannotCreateTheSnapshotStopsAndTheOthersCarryOn() {
        StorageKit mem = StorageKit.mem();
        FaultySnapshots snaps = new FaultySnapshots(mem.snapshots());
        StorageKit kit = new StorageKit("mem, faulty snapshots", mem.log(), mem.stable(), snaps, mem.crash());
        try (LocalCluster c = new LocalCluster(3, dir, settings(), kit, i -> new RecordingStateMachine())) {
            c.startAll();
            int lagging = (c.awaitLeader() + 1) % 3;
            snaps.victimDir = RaftLayout.snapshotDir(c.raftDir(lagging));
            List<String> expected = leaveBehind(c, lagging, 10);

            snaps.failCreate = true;
            c.start(lagging);
            Await.until(LocalCluster.WAIT, "the follower stopped on its snapshot store's failure",
                    () -> c.nodes[lagging].failure().isPresent() && !c.nodes[lagging].isStartedAndOpen());
            assertThat(c.nodes[lagging].failure().orElseThrow()).isInstanceOf(StorageException.class)
                    .hasMessageContaining("cannot start receiving snapshot")
                    .hasMessageContaining("No space left on device");

            c.propose("after");
            expected.add("after");
            c.awaitReplicated(expected); // the two running nodes
            assertThat(c.running(lagging)).isFalse();
        }
    }
}
