package dev.haseq.api.consensus;

import dev.haseq.api.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a consensus cluster, as the node uses it. All methods are thread-safe.
 *
 * <p>Proposals are committed in the order {@link #propose} is called on the leader. Futures are
 * completed off the caller's thread; callers must not block a consensus thread on them.
 */
public interface ConsensusNode extends AutoCloseable {

    /** Opens storage, restores the latest snapshot, and joins (or bootstraps) the cluster. */
    void start();

    /**
     * Proposes an entry. The future completes after the entry is committed <em>and</em> applied to
     * the local state machine; it fails fast with {@link NotLeaderException} on a non-leader, with
     * {@link RejectedEntryException} (as cause) if the state machine rejected the entry, and with
     * {@link NotLeaderException} if leadership is lost before the entry commits (the entry may
     * still commit later under a new leader; the state machine decides whether that is harmful).
     */
    CompletableFuture<Committed> propose(byte[] entry);

    /**
     * Completes (with the applied index) once every entry committed before this call, including
     * the leader's own no-op for its term, is applied locally. Used by the leader before it acts on
     * the state machine (e.g. produces the next block). Fails with {@link NotLeaderException} on a
     * non-leader.
     */
    CompletableFuture<Long> barrier();

    boolean isLeader();

    /** The leader this node currently knows of. */
    Optional<NodeId> leader();

    long term();

    /**
     * Hands leadership to {@code target}, or to the most up-to-date healthy follower when empty.
     * Completes with the new leader's id; fails if this node is not the leader or the transfer
     * did not finish within an election timeout.
     */
    CompletableFuture<NodeId> transferLeadership(Optional<NodeId> target);

    ConsensusStatus status();

    /** Adds a listener for leader changes and other events (see {@link ConsensusListener}). */
    void addListener(ConsensusListener listener);

    /**
     * What this node's peer-to-peer transport counted so far (frames, bytes, connections closed by
     * reason, send failures), read at every metrics scrape: cheap, non-blocking, thread-safe.
     * Empty when the provider has no transport counters of its own (the default) or the node has
     * not started; after {@link #close()} the last totals may still be returned.
     */
    default Optional<TransportStats> transportStats() {
        return Optional.empty();
    }

    /** Graceful stop: a leader first transfers leadership (bounded wait), then everything is closed. */
    @Override
    void close();
}
