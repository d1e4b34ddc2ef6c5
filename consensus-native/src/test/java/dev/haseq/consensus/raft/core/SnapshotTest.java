package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotRequest;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;
import dev.haseq.consensus.raft.core.TestCluster.Node;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SnapshotTest {
    private static final int CHUNK = 64;
    private static final int TRAILING = 5;

    /** n1 leads; n3 misses 30 entries; n1 snapshots and compacts: n3 can only catch up from the snapshot. */
    private static TestCluster laggingFollower() {
        TestCluster c = new TestCluster(3, 1 << 20, 8, CHUNK, TRAILING);
        Node n1 = c.elect("n1");
        c.isolate("n3");
        for (int i = 0; i < 30; i++) {
            n1.core.propose(new byte[] {(byte) i});
            n1.drain();
            c.deliver();
        }
        c.tickAll(1);
        n1.takeSnapshot(300);
        c.heal();
        return c;
    }

    /**
     * Runs the transfer: the leader's reads are served, the follower's writes assembled and
     * reported to its core, which is told when the last chunk is in ({@code verdict} decides if
     * it verified).
     */
    private static void pump(TestCluster c, Predicate<byte[]> verdict) {
        pump(c, verdict, (w, held) -> -1);
    }

    /** What the follower's driver makes of a chunk: -1 writes it, else the bytes it still holds (it cannot). */
    interface Driver {
        long cannotWrite(Ready.SnapshotWrite w, ByteArrayOutputStream held);
    }

    /**
     * As {@link #pump(TestCluster, Predicate)}, but {@code driver} may refuse a chunk; it then
     * keeps only the first bytes it reports, and the core is told where it stands.
     */
    private static void pump(TestCluster c, Predicate<byte[]> verdict, Driver driver) {
        Node n1 = c.node("n1");
        Node n3 = c.node("n3");
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (int round = 0; round < 200 && n3.core.lastIndex() < n1.core.lastIndex(); round++) {
            n1.serveSnapshotReads();
            c.deliver();
            for (Ready.SnapshotWrite w : List.copyOf(n3.snapshotWrites)) {
                long resume = driver.cannotWrite(w, received);
                if (resume >= 0) {
                    byte[] kept = java.util.Arrays.copyOf(received.toByteArray(), (int) resume);
                    received.reset();
                    received.writeBytes(kept);
                    n3.core.snapshotWriteFailed(w, resume);
                    n3.drain();
                    continue;
                }
                if (w.offset() == 0) {
                    received.reset();
                }
                assertThat(w.offset()).as("chunks are written contiguously").isEqualTo(received.size());
                received.writeBytes(w.data());
                if (w.last()) {
                    byte[] all = received.toByteArray();
                    boolean ok = all.length == w.totalSize() && TestCluster.crc(all) == w.checksum()
                            && verdict.test(all);
                    n3.core.snapshotReceived(w.snapshotIndex(), w.snapshotTerm(), ok);
                } else {
                    n3.core.snapshotChunkWritten(w);
                }
                n3.drain();
            }
            n3.snapshotWrites.clear();
            c.deliver();
            c.tickAll(1);
        }
    }

    /** Runs the leader until the follower's core hands out the first chunk (not reported). */
    private static void firstChunkHandedOut(TestCluster c) {
        for (int round = 0; round < 50 && c.node("n3").snapshotWrites.isEmpty(); round++) {
            c.node("n1").serveSnapshotReads();
            c.deliver();
            c.tickAll(1);
        }
    }

    private static long failedSendsDuringTheTransfer(TestCluster c) {
        List<CoreEvent> events = c.node("n1").events;
        int start = events.indexOf(c.node("n1").events(CoreEvent.SnapshotSendStarted.class).getFirst());
        return events.subList(start, events.size()).stream().filter(CoreEvent.SendFailed.class::isInstance).count();
    }

    private static List<Long> chunkOffsetsSent(TestCluster c) {
        return c.sent.stream().filter(InstallSnapshotRequest.class::isInstance)
                .map(m -> ((InstallSnapshotRequest) m).offset()).toList();
    }

    private static List<Long> chunkAnswers(TestCluster c) {
        return c.sent.stream().filter(m -> m instanceof InstallSnapshotResponse r && !r.done())
                .map(m -> ((InstallSnapshotResponse) m).nextOffset()).toList();
    }

    @Test
    void logCompactionKeepsTrailingLogs() {
        TestCluster c = laggingFollower();
        Node n1 = c.node("n1");
        long snapshotIndex = n1.snapshotMeta.index();

        assertThat(n1.readies).filteredOn(r -> r.compactUpTo() != Ready.NONE).last()
                .extracting(Ready::compactUpTo).isEqualTo(snapshotIndex - TRAILING);
        assertThat(n1.log.firstIndex()).isEqualTo(snapshotIndex - TRAILING + 1);
        assertThat(n1.core.firstIndex()).isEqualTo(snapshotIndex - TRAILING + 1);
        assertThat(n1.core.snapshotIndex()).isEqualTo(snapshotIndex);
    }

    /** The guide's trailing_logs: a follower that missed fewer entries than that replays them from the log. */
    @Test
    void aFollowerBehindByFewerThanTrailingLogsCatchesUpFromTheLogWithoutASnapshot() {
        TestCluster c = new TestCluster(3, 1 << 20, 8, CHUNK, TRAILING);
        Node n1 = c.elect("n1");
        Node n3 = c.node("n3");
        for (int i = 0; i < 10; i++) {
            n1.core.propose(new byte[] {(byte) i});
            n1.drain();
            c.deliver();
        }
        long n3Had = n3.core.lastIndex();
        c.isolate("n3");
        for (int i = 0; i < TRAILING - 2; i++) {
            n1.core.propose(new byte[] {(byte) (100 + i)});
            n1.drain();
            c.deliver();
        }
        c.tickAll(1);
        n1.takeSnapshot(300);
        assertThat(n1.core.firstIndex()).as("compacted, but the entries n3 misses are kept").isLessThanOrEqualTo(n3Had + 1)
                .isGreaterThan(1);
        c.heal();
        for (int round = 0; round < 50 && n3.core.lastIndex() < n1.core.lastIndex(); round++) {
            c.deliver();
            c.tickAll(1);
        }

        assertThat(n3.core.lastIndex()).isEqualTo(n1.core.lastIndex());
        assertThat(n1.events(CoreEvent.SnapshotSendStarted.class)).isEmpty();
        assertThat(c.sent).noneMatch(InstallSnapshotRequest.class::isInstance);
    }

    @Test
    void followerBehindTheTrailingLogsGetsTheSnapshotInChunksThenCatchesUp() {
        TestCluster c = laggingFollower();
        Node n1 = c.node("n1");
        Node n3 = c.node("n3");
        pump(c, bytes -> true);

        assertThat(n1.events(CoreEvent.SnapshotSendStarted.class)).singleElement()
                .satisfies(e -> assertThat(e.index()).isEqualTo(n1.snapshotMeta.index()));
        assertThat(n1.events(CoreEvent.SnapshotSendFinished.class)).singleElement()
                .isEqualTo(new CoreEvent.SnapshotSendFinished(NodeId.of("n3"), n1.snapshotMeta.index()));
        assertThat(n1.events(CoreEvent.SnapshotSendFailed.class)).as("nothing was lost").isEmpty();
        assertThat(n3.events(CoreEvent.SnapshotReceiveStarted.class)).singleElement().isEqualTo(
                new CoreEvent.SnapshotReceiveStarted(NodeId.of("n1"), n1.snapshotMeta.index(), n1.snapshotMeta.term()));
        assertThat(n3.events(CoreEvent.SnapshotReceiveFailed.class)).isEmpty();
        assertThat(c.sent).filteredOn(InstallSnapshotRequest.class::isInstance)
                .map(m -> ((InstallSnapshotRequest) m).offset())
                .containsExactly(0L, 64L, 128L, 192L, 256L);
        Ready install = n3.readies.stream().filter(r -> r.installSnapshot().isPresent()).findFirst().orElseThrow();
        assertThat(install.installSnapshot().get().index()).isEqualTo(n1.snapshotMeta.index());
        assertThat(install.truncateAfter()).isEqualTo(n1.snapshotMeta.index());
        assertThat(install.compactUpTo()).isEqualTo(n1.snapshotMeta.index());
        assertThat(n3.core.lastIndex()).isEqualTo(n1.core.lastIndex());
        assertThat(n3.core.commitIndex()).isEqualTo(n1.core.commitIndex());
        assertThat(n1.core.peerProgress().get(1).matchIndex()).isEqualTo(n1.core.lastIndex());
    }

    @Test
    void snapshotInstallResumesFromLastAcknowledgedChunk() {
        TestCluster c = laggingFollower();
        boolean[] dropped = {false};
        c.drop = m -> {
            if (m instanceof InstallSnapshotRequest r && r.offset() == 128 && !dropped[0]) {
                dropped[0] = true;
                return true;
            }
            return false;
        };
        pump(c, bytes -> true);

        assertThat(dropped[0]).isTrue();
        List<Long> offsets = c.sent.stream().filter(InstallSnapshotRequest.class::isInstance)
                .map(m -> ((InstallSnapshotRequest) m).offset()).toList();
        assertThat(offsets).containsExactly(0L, 64L, 128L, 128L, 192L, 256L);
        assertThat(c.node("n1").events(CoreEvent.SendFailed.class)).isNotEmpty();
        long snapshotIndex = c.node("n1").snapshotMeta.index();
        assertThat(c.node("n1").events(CoreEvent.SnapshotSendFailed.class)).as("the lost chunk's timeout")
                .isNotEmpty().allMatch(e -> e.equals(new CoreEvent.SnapshotSendFailed(NodeId.of("n3"), snapshotIndex)));
        assertThat(c.node("n1").events(CoreEvent.SnapshotSendFinished.class)).hasSize(1);
        assertThat(c.node("n3").events(CoreEvent.SnapshotReceiveStarted.class)).as("resumed, not restarted")
                .hasSize(1);
        assertThat(c.node("n3").core.lastIndex()).isEqualTo(c.node("n1").core.lastIndex());
    }

    /**
     * The answer to a chunk arrives twice, the copy once the next chunk is on its way: the copy
     * says nothing new, so it must not send that chunk again. (It used to: every answer sent a
     * chunk, so each duplicate or timeout added a copy that was never retired, and on a link of
     * limited bandwidth the transfer stalled under its own re-sends; see SnapshotStall.)
     */
    @Test
    void aDuplicatedChunkAnswerDoesNotSendTheChunkInFlightAgain() {
        TestCluster c = laggingFollower();
        Set<InstallSnapshotResponse> seen = new HashSet<>();
        InstallSnapshotResponse[] held = {null};
        int[] duplicated = {0};
        c.drop = m -> {
            if (m instanceof InstallSnapshotResponse r && !r.done() && seen.add(r)) {
                held[0] = r; // its copy follows the next chunk
            } else if (m instanceof InstallSnapshotRequest r && held[0] != null
                    && r.offset() == held[0].nextOffset()) {
                c.network.add(held[0]);
                held[0] = null;
                duplicated[0]++;
            }
            return false;
        };
        pump(c, bytes -> true);

        assertThat(duplicated[0]).as("answers duplicated").isEqualTo(4);
        assertThat(c.sent).filteredOn(InstallSnapshotRequest.class::isInstance)
                .map(m -> ((InstallSnapshotRequest) m).offset())
                .containsExactly(0L, 64L, 128L, 192L, 256L);
        assertThat(c.node("n3").core.lastIndex()).isEqualTo(c.node("n1").core.lastIndex());
    }

    @Test
    void corruptSnapshotIsSentAgainFromTheStart() {
        TestCluster c = laggingFollower();
        boolean[] corrupted = {false};
        pump(c, bytes -> {
            if (!corrupted[0]) {
                corrupted[0] = true;
                return false;
            }
            return true;
        });

        List<Long> offsets = c.sent.stream().filter(InstallSnapshotRequest.class::isInstance)
                .map(m -> ((InstallSnapshotRequest) m).offset()).toList();
        assertThat(offsets).containsExactly(0L, 64L, 128L, 192L, 256L, 0L, 64L, 128L, 192L, 256L);
        Node n3 = c.node("n3");
        long snapshotIndex = c.node("n1").snapshotMeta.index();
        assertThat(n3.events(CoreEvent.SnapshotReceiveFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.index()).isEqualTo(snapshotIndex));
        assertThat(n3.events(CoreEvent.SnapshotReceiveStarted.class)).as("the first try and the second")
                .hasSize(2);
        assertThat(c.node("n1").events(CoreEvent.SnapshotSendFinished.class)).hasSize(1);
        assertThat(n3.readies).filteredOn(r -> r.installSnapshot().isPresent()).hasSize(1);
        assertThat(c.node("n3").core.lastIndex()).isEqualTo(c.node("n1").core.lastIndex());
    }

    /**
     * The follower's driver lost its partial snapshot and cannot write the chunk at 128: the
     * chunk is not acknowledged, the answer says 0 and the leader restarts at once, without
     * waiting for a send timeout and without streaming the rest into the void.
     */
    @Test
    void aChunkTheDriverCannotWriteIsNotAcknowledgedAndTheLeaderRestartsAtOnce() {
        TestCluster c = laggingFollower();
        boolean[] failed = {false};
        pump(c, bytes -> true, (w, held) -> {
            if (w.offset() == 128 && !failed[0]) {
                failed[0] = true;
                return 0;
            }
            return -1;
        });

        assertThat(failed[0]).isTrue();
        assertThat(chunkOffsetsSent(c)).containsExactly(0L, 64L, 128L, 0L, 64L, 128L, 192L, 256L);
        assertThat(chunkAnswers(c)).as("128 was never claimed before it was written")
                .containsExactly(64L, 128L, 0L, 64L, 128L, 192L, 256L);
        assertThat(failedSendsDuringTheTransfer(c)).as("no send timeout needed").isZero();
        assertThat(c.node("n3").readies).filteredOn(r -> r.installSnapshot().isPresent()).hasSize(1);
        assertThat(c.node("n3").core.lastIndex()).isEqualTo(c.node("n1").core.lastIndex());
    }

    /**
     * A driver that restores a received snapshot after advancing its Ready (the native node does,
     * on its applier thread) holds further snapshots off until it is done: a newer snapshot the
     * leader took meanwhile must not replace, in the store, the one being restored.
     */
    @Test
    void noSnapshotChunkIsTakenWhileTheDriverIsStillRestoringAReceivedSnapshot() {
        TestCluster c = laggingFollower();
        Node n1 = c.node("n1");
        Node n3 = c.node("n3");
        n3.core.setRestoringSnapshot(true);
        firstChunkHandedOut(c);

        assertThat(n3.snapshotWrites).as("chunks dropped").isEmpty();
        assertThat(n3.events(CoreEvent.SnapshotReceiveStarted.class)).isEmpty();
        assertThat(chunkAnswers(c)).as("and not answered").isEmpty();
        assertThat(n1.events(CoreEvent.SnapshotSendFailed.class)).as("the leader keeps retrying").isNotEmpty();

        n3.core.setRestoringSnapshot(false);
        pump(c, bytes -> true);
        assertThat(n3.events(CoreEvent.SnapshotReceiveStarted.class)).hasSize(1);
        assertThat(n3.readies).filteredOn(r -> r.installSnapshot().isPresent()).hasSize(1);
        assertThat(n3.core.lastIndex()).isEqualTo(n1.core.lastIndex());
    }

    /** The leader's driver cannot read its own snapshot: a failed snapshot send, retried after the send timeout. */
    @Test
    void anUnreadableLocalSnapshotIsAFailedSnapshotSendThatIsRetried() {
        TestCluster c = laggingFollower();
        Node n1 = c.node("n1");
        for (int round = 0; round < 50 && n1.snapshotReads.isEmpty(); round++) {
            c.deliver();
            c.tickAll(1);
        }
        assertThat(n1.snapshotReads).as("the leader asked for the first chunk").isNotEmpty();
        n1.snapshotReads.clear();
        n1.core.snapshotReadFailed(NodeId.of("n3"), "simulated read failure");
        n1.drain();

        assertThat(n1.events(CoreEvent.SnapshotSendFailed.class)).singleElement()
                .isEqualTo(new CoreEvent.SnapshotSendFailed(NodeId.of("n3"), n1.snapshotMeta.index()));
        assertThat(n1.events(CoreEvent.SnapshotSendFinished.class)).isEmpty();
        pump(c, bytes -> true);
        assertThat(n1.events(CoreEvent.SnapshotSendFinished.class)).hasSize(1);
        assertThat(c.node("n3").core.lastIndex()).isEqualTo(n1.core.lastIndex());
    }

    /** The driver still holds the first 64 bytes when it cannot write the chunk at 192: the leader resends from 64. */
    @Test
    void aFailedChunkWriteResumesFromWhatTheDriverStillHolds() {
        TestCluster c = laggingFollower();
        boolean[] failed = {false};
        pump(c, bytes -> true, (w, held) -> {
            if (w.offset() == 192 && !failed[0]) {
                failed[0] = true;
                return 64;
            }
            return -1;
        });

        assertThat(chunkOffsetsSent(c)).containsExactly(0L, 64L, 128L, 192L, 64L, 128L, 192L, 256L);
        assertThat(chunkAnswers(c)).containsExactly(64L, 128L, 192L, 64L, 128L, 192L, 256L);
        assertThat(failedSendsDuringTheTransfer(c)).isZero();
        assertThat(c.node("n3").core.lastIndex()).isEqualTo(c.node("n1").core.lastIndex());
    }

    /** A chunk copy arriving while the driver has not reported the chunk in hand gets no answer. */
    @Test
    void aChunkIsNeitherAnsweredNorHandedOutAgainBeforeTheDriverReportsTheOneInHand() {
        TestCluster c = laggingFollower();
        Node n3 = c.node("n3");
        firstChunkHandedOut(c);
        assertThat(n3.snapshotWrites).singleElement().satisfies(w -> assertThat(w.offset()).isZero());
        InstallSnapshotRequest first = (InstallSnapshotRequest) c.sent.stream()
                .filter(InstallSnapshotRequest.class::isInstance).findFirst().orElseThrow();
        int sentBefore = c.sent.size();
        n3.core.step(first); // a network copy
        n3.drain();
        assertThat(c.sent.subList(sentBefore, c.sent.size())).noneMatch(InstallSnapshotResponse.class::isInstance);
        assertThat(n3.snapshotWrites).hasSize(1);

        Ready.SnapshotWrite w = n3.snapshotWrites.getFirst();
        n3.core.snapshotChunkWritten(w);
        n3.drain();
        assertThat(chunkAnswers(c)).containsExactly((long) w.data().length);
        n3.core.snapshotChunkWritten(w); // a second report of the same chunk changes nothing
        n3.drain();
        assertThat(chunkAnswers(c)).hasSize(1);
    }

    @Test
    void aDriverReportThatContradictsTheContractIsRefused() {
        TestCluster c = laggingFollower();
        Node n3 = c.node("n3");
        firstChunkHandedOut(c);
        Ready.SnapshotWrite w = n3.snapshotWrites.getFirst();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> n3.core.snapshotWriteFailed(w, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resume at 0 or below");
        Ready.SnapshotWrite last = new Ready.SnapshotWrite(w.snapshotIndex(), w.snapshotTerm(), w.totalSize(),
                w.checksum(), 0, new byte[(int) w.totalSize()], true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> n3.core.snapshotChunkWritten(last))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshotReceived");
    }

    @Test
    void snapshotTakenIsRefusedBeyondWhatWasHandedOutForApplying() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        long applied = n1.core.appliedIndex();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> n1.core.snapshotTaken(applied + 5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("applied");
        assertThat(NodeId.of("n1")).isEqualTo(n1.id);
        assertThat(Optional.of(n1.core.snapshotIndex())).contains(0L);
    }
}
