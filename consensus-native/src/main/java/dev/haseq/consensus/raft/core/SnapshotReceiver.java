package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotRequest;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;

/**
 * The follower's half of a chunked snapshot transfer: accepts chunks in order and hands them to
 * the driver to write, one at a time; answers the leader only with what the driver reported
 * written, so after a failed write the leader resumes where the driver really stands; and once
 * the driver reports the last chunk verified and committed, replaces the log with the snapshot.
 *
 * <p>Every handed chunk ({@link Ready.SnapshotWrite}) gets exactly one driver report:
 * {@link RaftCore#snapshotChunkWritten} (not the last chunk), {@link RaftCore#snapshotReceived}
 * (the last chunk, verified or corrupt) or {@link RaftCore#snapshotWriteFailed} (any chunk the
 * driver could not write where the core said). Chunks that arrive while a report is outstanding
 * are dropped: the report answers the leader, and the leader re-sends after its send timeout if
 * that answer is lost.
 */
final class SnapshotReceiver {
    private final RaftCore core;
    private final RaftLog log;

    private long index;
    private long term;
    private long total = -1;
    private int checksum;
    /** Bytes of this snapshot the driver reported written: the only offset ever acknowledged. */
    private long received;
    /** The chunk handed to the driver and not yet reported on, or null. */
    private Ready.SnapshotWrite writing;
    private NodeId sender;

    SnapshotReceiver(RaftCore core, RaftLog log) {
        this.core = core;
        this.log = log;
    }

    void onChunk(InstallSnapshotRequest m) {
        sender = m.from();
        if (m.snapshotIndex() <= log.committed || log.matchTerm(m.snapshotIndex(), m.snapshotTerm())) {
            // We already hold everything the snapshot covers: fast-forward instead of installing.
            log.commitTo(Math.min(m.snapshotIndex(), log.lastIndex()));
            if (isFor(m)) {
                reset();
            }
            reply(m, 0, true);
            return;
        }
        if (core.installPending() || writing != null) {
            return; // the leader retries after its send timeout (a pending write is answered by its report)
        }
        boolean same = isFor(m) && total == m.totalSize() && checksum == m.checksum();
        if (!same) {
            if (m.offset() != 0) {
                reply(m, 0, false); // unknown transfer (e.g. we restarted): start over
                return;
            }
            reset();
            index = m.snapshotIndex();
            term = m.snapshotTerm();
            total = m.totalSize();
            checksum = m.checksum();
            core.emit(new CoreEvent.SnapshotReceiveStarted(m.from(), index, term));
        }
        if (m.offset() != received) {
            reply(m, received, false); // a duplicate, or a gap after a loss: resume where we are
            return;
        }
        writing = new Ready.SnapshotWrite(index, term, total, checksum, m.offset(), m.data(), m.last());
        core.writeSnapshotChunk(writing);
    }

    /** The driver wrote {@code w}, not the last chunk: acknowledge it. */
    void onChunkWritten(Ready.SnapshotWrite w) {
        if (w.last()) {
            throw new IllegalArgumentException("the last chunk of snapshot " + w.snapshotIndex() + "@"
                    + w.snapshotTerm() + " is reported with snapshotReceived (after verifying it), not "
                    + "snapshotChunkWritten");
        }
        if (w != writing) {
            return; // handed before a reset (we became leader, or a newer transfer started)
        }
        writing = null;
        received = w.offset() + w.data().length;
        answer(received);
    }

    /** The driver could not write {@code w}; it holds {@code resumeOffset} bytes of this snapshot. */
    void onWriteFailed(Ready.SnapshotWrite w, long resumeOffset) {
        if (resumeOffset < 0 || (resumeOffset > 0 && resumeOffset >= w.offset())) {
            throw new IllegalArgumentException("a failed write of snapshot " + w.snapshotIndex() + "@"
                    + w.snapshotTerm() + " at offset " + w.offset() + " can resume at 0 or below that offset, not at "
                    + resumeOffset + " (a chunk that continues what the driver holds is written, not failed)");
        }
        if (w != writing) {
            return;
        }
        writing = null;
        received = resumeOffset;
        answer(received); // the leader resends from here at once (0 restarts the transfer)
    }

    /** The driver wrote the last chunk and checked it ({@code ok}) or found it corrupt. */
    void onReceived(long snapIndex, long snapTerm, boolean ok) {
        if (writing == null || !writing.last() || snapIndex != index || snapTerm != term) {
            return;
        }
        long size = total;
        reset();
        if (!ok) {
            core.emit(new CoreEvent.SnapshotReceiveFailed(sender, snapIndex, snapTerm));
            core.sendAfterPersist(new InstallSnapshotResponse(core.id(), sender, core.term(), snapIndex, snapTerm, 0,
                    false));
            return;
        }
        if (snapIndex > log.committed) {
            core.installSnapshot(snapIndex, snapTerm, size);
        }
        core.sendAfterPersist(new InstallSnapshotResponse(core.id(), sender, core.term(), snapIndex, snapTerm, size,
                true));
    }

    private boolean isFor(InstallSnapshotRequest m) {
        return total >= 0 && index == m.snapshotIndex() && term == m.snapshotTerm();
    }

    private void reply(InstallSnapshotRequest m, long nextOffset, boolean done) {
        core.sendAfterPersist(new InstallSnapshotResponse(core.id(), m.from(), core.term(), m.snapshotIndex(),
                m.snapshotTerm(), nextOffset, done));
    }

    /** Tells the leader that sent the latest chunk where the transfer in progress stands. */
    private void answer(long nextOffset) {
        core.sendAfterPersist(new InstallSnapshotResponse(core.id(), sender, core.term(), index, term, nextOffset,
                false));
    }

    void reset() {
        index = 0;
        term = 0;
        total = -1;
        checksum = 0;
        received = 0;
        writing = null;
    }
}
