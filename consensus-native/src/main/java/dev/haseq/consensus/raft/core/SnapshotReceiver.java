package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotRequest;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;

/**
 * The follower's half of a chunked snapshot transfer: accepts chunks in order, hands them to the
 * driver to write, tells the leader where to resume after a loss, and once the driver reports the
 * last chunk verified and committed, replaces the log with the snapshot.
 */
final class SnapshotReceiver {
    private final RaftCore core;
    private final RaftLog log;

    private long index;
    private long term;
    private long total = -1;
    private int checksum;
    /** Bytes handed to the driver (acknowledged once the Ready carrying them is persisted). */
    private long received;
    /** Every byte was handed over; waiting for {@link RaftCore#snapshotReceived}. */
    private boolean finalizing;
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
        if (core.installPending()) {
            return; // the leader retries after its send timeout
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
        }
        if (finalizing || m.offset() != received) {
            reply(m, received, false); // a duplicate, or a gap after a loss: resume where we are
            return;
        }
        core.writeSnapshotChunk(new Ready.SnapshotWrite(index, term, total, checksum, m.offset(), m.data(), m.last()));
        received += m.data().length;
        if (m.last()) {
            finalizing = true; // answered once the driver reports the snapshot verified and committed
        } else {
            reply(m, received, false);
        }
    }

    /** The driver wrote the last chunk and checked it ({@code ok}) or found it corrupt. */
    void onReceived(long snapIndex, long snapTerm, boolean ok) {
        if (!finalizing || snapIndex != index || snapTerm != term) {
            return;
        }
        long size = total;
        reset();
        if (!ok) {
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

    void reset() {
        index = 0;
        term = 0;
        total = -1;
        checksum = 0;
        received = 0;
        finalizing = false;
    }
}
