package dev.haseq.consensus.raft.transport;

/**
 * Why a transport connection was closed. Every closed connection is counted under exactly one
 * reason ({@link TransportListener#connectionClosed}); the first five are a misbehaving or
 * misconfigured remote end, which the transport survives by dropping that one connection.
 */
public enum CloseReason {
    /** Bytes that are not a haseq frame: wrong magic or unsupported version, or an undecodable handshake. */
    GARBAGE,
    /** A frame header announcing a payload over the configured maximum. */
    OVERSIZED_FRAME,
    /** A frame whose CRC32C does not match: corrupted in transit. */
    BAD_CHECKSUM,
    /** A frame other than a handshake arrived before the handshake. */
    NO_HANDSHAKE,
    /** The handshake named a node that is not a cluster member (or named ourselves). */
    UNKNOWN_NODE,
    /** The handshake carried another cluster id: the remote end belongs to a different cluster. */
    CLUSTER_MISMATCH,
    /** The node we dialled answered with another node id than the one {@code raft.peers} lists at that address. */
    WRONG_PEER,
    /** The peer refused our handshake (it logged why; so do we). */
    REJECTED_BY_PEER,
    /** No handshake within the handshake timeout. */
    HANDSHAKE_TIMEOUT,
    /** A frame type that is not allowed on this connection after the handshake. */
    UNEXPECTED_FRAME,
    /** A newer inbound connection from the same peer replaced this one. */
    SUPERSEDED,
    /** The remote end closed the connection. */
    PEER_CLOSED,
    /** A socket error (reset, broken pipe, ...). */
    IO_ERROR,
    /** This transport is shutting down. */
    SHUTDOWN
}
