package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import java.util.Optional;

/**
 * Metric hooks of a {@link Transport}. Called on transport I/O threads (and, for
 * {@link #sendFailed} with {@link SendFailure#QUEUE_OVERFLOW}, on the sender's thread):
 * implementations must be fast, thread-safe and must not block. Every method has a no-op default.
 */
public interface TransportListener {
    TransportListener NONE = new TransportListener() {
    };

    /** A data frame of {@code bytes} (frame overhead included) was written to {@code peer}'s socket. */
    default void frameSent(NodeId peer, int bytes) {
    }

    /** A data frame of {@code bytes} (frame overhead included) arrived from {@code peer}. */
    default void frameReceived(NodeId peer, int bytes) {
    }

    /** A handshake completed; {@code inbound}: the peer dialled us. */
    default void connected(NodeId peer, boolean inbound) {
    }

    /**
     * A connection closed. {@code peer} is empty when the remote end never completed a valid
     * handshake (a stranger, garbage, a wrong cluster).
     */
    default void connectionClosed(Optional<NodeId> peer, boolean inbound, CloseReason reason) {
    }

    /** Dialling {@code peer} failed (refused, unreachable, timed out); a retry is scheduled. */
    default void connectFailed(NodeId peer) {
    }

    default void sendFailed(NodeId peer, SendFailure failure) {
    }
}
