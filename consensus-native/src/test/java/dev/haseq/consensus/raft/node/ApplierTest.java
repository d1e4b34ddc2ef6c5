package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApplierTest {
    private static final NodeId SELF = NodeId.of("node-1");
    private final RecordingStateMachine sm = new RecordingStateMachine();
    private final List<long[]> taken = new CopyOnWriteArrayList<>();
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    private SnapshotStore snapshots;
    private Applier applier;
    private Thread thread;

    @BeforeEach
    void start() {
        RaftSettings s = RaftSettings.parse(Map.of(), Path.of("/tmp/x")).orThrow();
        snapshots = StorageKit.mem().snapshots().open(new StorageContext(Path.of("/tmp/x/s"), s, StorageEvents.NONE));
        applier = new Applier(SELF, sm, snapshots, 10, new Listeners(), (i, t) -> taken.add(new long[] {i, t}),
                () -> new NotLeaderException(SELF, Optional.empty()), fatal::add);
        thread = Thread.ofPlatform().start(applier);
    }

    @AfterEach
    void stop() throws InterruptedException {
        applier.submit(new Applier.Stop(() -> new IllegalStateException("closed")));
        thread.join(5000);
    }

    private static LogEntry user(long index, long term, String s) {
        return new LogEntry(index, term, Entries.user(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void completesATrackedProposalWithTheStateMachinesResultAfterApplying() throws Exception {
        CompletableFuture<Committed> f = new CompletableFuture<>();
        applier.submit(new Applier.Track(2, 1, f));
        applier.submit(new Applier.Apply(List.of(new LogEntry(1, 1, new byte[0]), user(2, 1, "a"))));
        Committed c = f.get(5, TimeUnit.SECONDS);
        assertThat(c.index()).isEqualTo(2);
        assertThat(c.term()).isEqualTo(1);
        assertThat(ByteBuffer.wrap(c.result()).getLong()).isEqualTo(1);
        assertThat(sm.entries()).containsExactly("a");
        assertThat(applier.appliedIndex()).isEqualTo(2);
    }

    @Test
    void aProposalWhoseIndexCommitsWithAnotherTermFailsAsNotLeader() {
        CompletableFuture<Committed> f = new CompletableFuture<>();
        applier.submit(new Applier.Track(1, 1, f));
        applier.submit(new Applier.Apply(List.of(user(1, 2, "someone else's"))));
        assertThat(f).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(NotLeaderException.class);
        assertThat(sm.entries()).containsExactly("someone else's");
    }

    @Test
    void aRejectedEntryFailsItsProposalWithTheStateMachinesReason() {
        CompletableFuture<Committed> f = new CompletableFuture<>();
        applier.submit(new Applier.Track(1, 1, f));
        applier.submit(new Applier.Apply(List.of(user(1, 1, "reject this"))));
        assertThat(f).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(RejectedEntryException.class).withMessageContaining("reject this");
        assertThat(applier.appliedIndex()).isEqualTo(1);
    }

    @Test
    void barriersCompleteOnceTheirIndexIsAppliedAndLeadershipLossFailsTheRest() throws Exception {
        CompletableFuture<Long> early = new CompletableFuture<>();
        CompletableFuture<Long> late = new CompletableFuture<>();
        CompletableFuture<Committed> pending = new CompletableFuture<>();
        applier.submit(new Applier.Barrier(2, early));
        applier.submit(new Applier.Barrier(5, late));
        applier.submit(new Applier.Track(5, 1, pending));
        applier.submit(new Applier.Apply(List.of(user(1, 1, "a"), user(2, 1, "b"))));
        assertThat(early.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        applier.submit(new Applier.LeadershipLost(() -> new NotLeaderException(SELF, Optional.empty())));
        assertThat(late).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(NotLeaderException.class);
        assertThat(pending).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(NotLeaderException.class);
    }

    @Test
    void takesASnapshotOnceThresholdEntriesWereAppliedAndTellsTheRaftLoop() throws Exception {
        for (int i = 1; i <= 25; i++) {
            applier.submit(new Applier.Apply(List.of(user(i, 1 + i / 20, "e" + i))));
        }
        java.time.Duration wait = java.time.Duration.ofSeconds(5);
        dev.haseq.consensus.raft.transport.Await.until(wait, "all 25 entries applied", () -> applier.appliedIndex() == 25);
        dev.haseq.consensus.raft.transport.Await.until(wait, "a snapshot", () -> !taken.isEmpty());
        // The applier may still be taking a later snapshot: check the one we open, whichever it is.
        RecordingStateMachine fresh = new RecordingStateMachine();
        try (SnapshotStore.Reader r = snapshots.openLatest().orElseThrow()) {
            long index = r.meta().index();
            long term = r.meta().term();
            assertThat(index).isBetween(10L, 25L);
            dev.haseq.consensus.raft.transport.Await.until(wait, "the Raft loop is told of snapshot " + r.meta().name(),
                    () -> taken.stream().anyMatch(t -> t[0] == index && t[1] == term));
            fresh.restore(r.stream());
            assertThat(fresh.entries()).hasSize((int) index).isEqualTo(sm.entries().subList(0, (int) index));
        }
    }

    @Test
    void restoringASnapshotSkipsEntriesItCoversAndFailsProposalsAtOrBelowIt() throws Exception {
        RecordingStateMachine source = new RecordingStateMachine();
        for (int i = 1; i <= 5; i++) {
            source.apply(i, ("s" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (SnapshotStore.Writer w = snapshots.create(SnapshotMeta.of(5, 2))) {
            source.snapshot(w.stream());
            w.commit();
        }
        CompletableFuture<Committed> covered = new CompletableFuture<>();
        applier.submit(new Applier.Track(4, 2, covered));
        CompletableFuture<Void> restored = new CompletableFuture<>();
        applier.submit(new Applier.Restore(SnapshotMeta.of(5, 2), true, restored));
        applier.submit(new Applier.Apply(List.of(user(5, 2, "old"), user(6, 2, "new"))));
        restored.get(5, TimeUnit.SECONDS);
        assertThat(covered).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(NotLeaderException.class);
        dev.haseq.consensus.raft.transport.Await.until(java.time.Duration.ofSeconds(5), "entry 6 applied",
                () -> applier.appliedIndex() == 6);
        assertThat(sm.entries()).containsExactly("s1", "s2", "s3", "s4", "s5", "new");
    }

    @Test
    void aStateMachineThatThrowsStopsTheApplierAndReportsItAsFatal() throws InterruptedException {
        Applier broken = new Applier(SELF, new dev.haseq.api.consensus.StateMachine() {
            @Override
            public byte[] apply(long index, byte[] entry) {
                throw new IllegalStateException("disk full in the executor");
            }

            @Override
            public void snapshot(java.io.OutputStream out) {
            }

            @Override
            public void restore(java.io.InputStream in) {
            }
        }, snapshots, 10, new Listeners(), (i, t) -> { }, () -> new NotLeaderException(SELF, Optional.empty()),
                fatal::add);
        Thread t = Thread.ofPlatform().start(broken);
        CompletableFuture<Committed> next = new CompletableFuture<>();
        broken.submit(new Applier.Track(2, 1, next));
        broken.submit(new Applier.Apply(List.of(user(1, 1, "boom"))));
        assertThat(next).failsWithin(java.time.Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(IllegalStateException.class).withMessageContaining("disk full");
        dev.haseq.consensus.raft.transport.Await.until(java.time.Duration.ofSeconds(5), "fatal reported",
                () -> !fatal.isEmpty());
        assertThat(broken.failure()).hasMessageContaining("disk full");
        t.join(5_000);
        assertThat(t.isAlive()).as("the applier thread ended").isFalse();
    }
}
