package dev.haseq.consensus.raft.core;

import dev.haseq.consensus.raft.core.Message.InstallSnapshotRequest;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;
import dev.haseq.consensus.raft.core.PeerProgress.ReplicationState;

/**
 * The leader's half of a chunked snapshot transfer (the follower's is {@link SnapshotReceiver}):
 * one chunk in flight at a time, read by the driver ({@link Ready.SnapshotRead}) from the latest
 * snapshot; resume from the offset the follower asks for; after a send timeout, retry from the
 * last acknowledged offset (or ask where the follower stands once every byte was acknowledged).
 * The transfer's state lives in the follower's {@link Progress}. Used by the {@link Replicator},
 * which moves a follower into and out of the SNAPSHOT state.
 */
final class SnapshotSender {
    private final RaftCore core;
    private final CoreConfig cfg;
    private final RaftLog log;

    SnapshotSender(RaftCore core, CoreConfig cfg, RaftLog log) {
        this.core = core;
        this.cfg = cfg;
        this.log = log;
    }

    /** {@code pr} needs entries that were compacted away: send it our latest snapshot. */
    void start(Progress pr) {
        if (log.snapshotIndex() == 0) {
            throw new IllegalStateException(pr.id + " needs entries from index " + pr.next
                    + " which are no longer in the log, and there is no snapshot");
        }
        pr.becomeSnapshot(log.snapshotIndex(), log.snapshotTerm(), core.now());
        core.emit(new CoreEvent.SnapshotSendStarted(pr.id, pr.snapIndex, pr.snapTerm));
        requestChunk(pr);
    }

    private void requestChunk(Progress pr) {
        pr.snapReadPending = true;
        pr.snapWaitSince = core.now();
        core.requestSnapshotRead(new Ready.SnapshotRead(pr.id, pr.snapIndex, pr.snapTerm, pr.snapAcked,
                cfg.snapshotChunkBytes()));
    }

    /** Asks a follower that has every chunk where it stands (its answer to the last chunk got lost). */
    private void poke(Progress pr) {
        pr.snapChunkInFlight = true;
        pr.snapWaitSince = core.now();
        core.send(new InstallSnapshotRequest(core.id(), pr.id, core.term(), pr.snapIndex, pr.snapTerm, pr.snapTotal,
                pr.snapChecksum, pr.snapTotal, new byte[0], true));
    }

    void onChunkRead(Progress pr, SnapshotChunk chunk) {
        if (pr.state != ReplicationState.SNAPSHOT || !pr.snapReadPending || chunk.snapshotIndex() < pr.snapIndex) {
            return;
        }
        if (chunk.snapshotIndex() != pr.snapIndex || chunk.snapshotTerm() != pr.snapTerm) {
            if (chunk.offset() != 0) {
                return;
            }
            pr.snapIndex = chunk.snapshotIndex(); // a newer snapshot was taken meanwhile: send that one
            pr.snapTerm = chunk.snapshotTerm();
            pr.snapAcked = 0;
        }
        if (chunk.offset() != pr.snapAcked || (chunk.data().length == 0 && !chunk.last())) {
            return;
        }
        pr.snapTotal = chunk.totalSize();
        pr.snapChecksum = chunk.checksum();
        pr.snapReadPending = false;
        pr.snapChunkInFlight = true;
        pr.snapWaitSince = core.now();
        core.send(new InstallSnapshotRequest(core.id(), pr.id, core.term(), pr.snapIndex, pr.snapTerm,
                chunk.totalSize(), chunk.checksum(), chunk.offset(), chunk.data(), chunk.last()));
    }

    void onChunkReadFailed(Progress pr) {
        if (pr.state == ReplicationState.SNAPSHOT && pr.snapReadPending) {
            pr.snapReadPending = false;
            core.emit(pr.failed());
            core.emit(new CoreEvent.SnapshotSendFailed(pr.id, pr.snapIndex));
            pr.snapWaitSince = core.now(); // retried by the send timeout, with backoff
        }
    }

    /** The follower's answer to a chunk, not yet holding the snapshot ({@code done} answers go to the replicator). */
    void onChunkAcked(Progress pr, InstallSnapshotResponse m) {
        if (pr.state != ReplicationState.SNAPSHOT || !pr.snapChunkInFlight || m.snapshotIndex() != pr.snapIndex
                || m.snapshotTerm() != pr.snapTerm) {
            return;
        }
        if (m.nextOffset() == pr.snapAcked && m.nextOffset() != 0) {
            // Nothing new: the answer to an earlier copy of a chunk (a network duplicate, or the
            // original of a chunk re-sent after a timeout). The chunk at this offset is already on
            // its way, and the send timeout covers its loss. Sending it again here would add a copy
            // that is never retired, since each copy's answer would trigger one more send. (0 always
            // restarts: the follower restarted, or found a one-chunk snapshot corrupt.)
            return;
        }
        // Any other offset is where the follower stands: further on, or back (below snapAcked)
        // when its driver could not write the chunk in flight; resend from there at once.
        pr.snapChunkInFlight = false;
        if (m.nextOffset() > pr.snapAcked) {
            pr.consecutiveFailures = 0;
        }
        pr.snapAcked = m.nextOffset();
        if (pr.snapTotal >= 0 && pr.snapAcked >= pr.snapTotal) {
            pr.snapChunkInFlight = true; // every byte is there: wait for the follower to install it
            pr.snapWaitSince = core.now();
        } else {
            requestChunk(pr);
        }
    }

    /** Nothing heard for {@code limit} ticks (the send timeout with backoff): retry. */
    void checkTimeout(Progress pr, long now, long limit) {
        if (now - pr.snapWaitSince >= limit) {
            core.emit(pr.failed());
            core.emit(new CoreEvent.SnapshotSendFailed(pr.id, pr.snapIndex));
            pr.snapReadPending = false;
            pr.snapChunkInFlight = false;
            if (pr.snapTotal >= 0 && pr.snapAcked >= pr.snapTotal) {
                poke(pr);
            } else {
                requestChunk(pr);
            }
        }
    }
}
