package dev.haseq.consensus.raft.transport;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import java.util.List;

/**
 * Moves opaque payloads between cluster members. Payload-agnostic: it neither knows nor parses
 * Raft messages.
 *
 * <p><b>Delivery.</b> Best effort, in order per (sender, receiver) pair while a connection lasts.
 * Messages to an unreachable peer wait in a bounded per-peer queue (oldest dropped first) and go
 * out once the connection is back; a message may be lost when a connection breaks. Raft
 * tolerates all of that by retrying.
 *
 * <p><b>Threads.</b> {@link #send} is thread-safe, never blocks and never performs I/O on the
 * caller's thread. Incoming payloads are handed to the {@link MessageHandler} on an I/O thread.
 */
public interface Transport extends AutoCloseable {

    /**
     * Binds the listening socket and starts dialling every peer.
     *
     * @throws TransportException if the bind address cannot be bound (the message names it)
     */
    void start();

    /** The address actually bound (the real port when configured with port 0). Only after {@link #start}. */
    HostPort localAddress();

    /**
     * Queues {@code payload} for {@code to}.
     *
     * @throws IllegalArgumentException if {@code to} is not a peer, or the payload is larger than
     *                                  the configured maximum (a peer would close the connection over it)
     */
    void send(NodeId to, byte[] payload);

    /** The largest payload {@link #send} accepts. */
    int maxPayloadBytes();

    /** Connection state, last contact and queue of one peer. */
    PeerLinkStatus status(NodeId peer);

    /** Every peer's status, in the configured order. */
    List<PeerLinkStatus> statuses();

    /** The transport's counters. */
    TransportCounters counters();

    /** Closes every connection and the listening socket, and waits (bounded) for the I/O threads to stop. */
    @Override
    void close();
}
