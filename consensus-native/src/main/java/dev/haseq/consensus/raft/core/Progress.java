package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.consensus.raft.core.PeerProgress.ReplicationState;

/**
 * The leader's bookkeeping for one follower (etcd's tracker.Progress, with hashicorp-style send
 * timeouts): where its log matches, what to send next, how many appends are in flight, how a
 * snapshot transfer stands, and how healthy the link is. Contact times are kept across terms
 * (they feed status and stickiness); the rest is reset when this node becomes leader.
 */
final class Progress {
    final NodeId id;
    final int slot;

    long match;
    long next;
    ReplicationState state = ReplicationState.PROBE;

    /** PROBE: an append is outstanding; sent at {@link #probeSentTick}. */
    boolean probeSent;
    long probeSentTick;

    // REPLICATE: ring buffer of (last index, tick sent) per in-flight append.
    private final long[] inflightIndex;
    private final long[] inflightTick;
    private int inflightStart;
    private int inflightCount;

    // SNAPSHOT: the transfer.
    long snapIndex;
    long snapTerm;
    long snapTotal = -1;
    int snapChecksum;
    long snapAcked;
    boolean snapReadPending;
    boolean snapChunkInFlight;
    long snapWaitSince;

    /** Last tick any message from this peer arrived (-1: never). */
    long lastContactTick = -1;
    /** Last tick a response in the current term arrived (check-quorum). */
    long lastAckTick;
    /** Highest leader tick echoed in a heartbeat response this term (-1: none). */
    long leaseTick = -1;
    int consecutiveFailures;

    Progress(NodeId id, int slot, int maxInflight) {
        this.id = id;
        this.slot = slot;
        this.inflightIndex = new long[maxInflight];
        this.inflightTick = new long[maxInflight];
    }

    void resetForLeadership(long lastIndex, long now) {
        match = 0;
        becomeProbe();
        next = lastIndex + 1; // optimistic: the first probe finds out where the logs match
        lastAckTick = now; // a full lease of grace for check-quorum
        leaseTick = -1;
        consecutiveFailures = 0;
    }

    void becomeProbe() {
        if (state == ReplicationState.SNAPSHOT) {
            next = Math.max(match + 1, next);
        } else {
            next = match + 1;
        }
        state = ReplicationState.PROBE;
        probeSent = false;
        clearInflights();
        clearSnapshot();
    }

    void becomeReplicate() {
        state = ReplicationState.REPLICATE;
        next = match + 1;
        probeSent = false;
        clearInflights();
    }

    void becomeSnapshot(long index, long term, long now) {
        state = ReplicationState.SNAPSHOT;
        probeSent = false;
        clearInflights();
        snapIndex = index;
        snapTerm = term;
        snapTotal = -1;
        snapAcked = 0;
        snapReadPending = false;
        snapChunkInFlight = false;
        snapWaitSince = now;
    }

    private void clearSnapshot() {
        snapIndex = 0;
        snapTerm = 0;
        snapTotal = -1;
        snapAcked = 0;
        snapReadPending = false;
        snapChunkInFlight = false;
    }

    /** A success ack for {@code index}: returns true if it taught us something new. */
    boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /**
     * A rejection of {@code rejected} (the prevLogIndex sent), with {@code probeHint} the highest
     * index that may match. Returns false when the rejection is stale.
     */
    boolean maybeDecrTo(long rejected, long probeHint) {
        if (state == ReplicationState.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, probeHint + 1), match + 1);
        probeSent = false;
        return true;
    }

    /** A send to this follower was not acknowledged in time: counts it, for health and backoff. */
    CoreEvent.SendFailed failed() {
        consecutiveFailures++;
        return new CoreEvent.SendFailed(id, consecutiveFailures);
    }

    /** May the leader send this follower another append now? */
    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflightCount == inflightIndex.length;
            case SNAPSHOT -> true;
        };
    }

    void sentAppend(long lastIndex, boolean hasEntries, long now) {
        switch (state) {
            case REPLICATE -> {
                if (hasEntries) {
                    next = lastIndex + 1;
                    int pos = (inflightStart + inflightCount) % inflightIndex.length;
                    inflightIndex[pos] = lastIndex;
                    inflightTick[pos] = now;
                    inflightCount++;
                }
            }
            case PROBE -> {
                probeSent = true;
                probeSentTick = now;
            }
            case SNAPSHOT -> throw new IllegalStateException("append sent to " + id + " while sending a snapshot");
        }
    }

    /** Acked up to {@code index}: frees the in-flight appends it covers. */
    void freeInflightsUpTo(long index) {
        while (inflightCount > 0 && inflightIndex[inflightStart] <= index) {
            inflightStart = (inflightStart + 1) % inflightIndex.length;
            inflightCount--;
        }
    }

    boolean hasInflight() {
        return inflightCount > 0;
    }

    long oldestInflightTick() {
        return inflightTick[inflightStart];
    }

    private void clearInflights() {
        inflightStart = 0;
        inflightCount = 0;
    }

    PeerProgress view(long now, boolean leader, int leaseTicks) {
        long ago = lastContactTick < 0 ? -1 : now - lastContactTick;
        boolean healthy = leader && consecutiveFailures == 0 && ago >= 0 && ago < leaseTicks;
        return new PeerProgress(id, leader ? match : 0, leader ? next : 0,
                leader ? state : ReplicationState.PROBE, healthy, ago, leader ? consecutiveFailures : 0);
    }
}
