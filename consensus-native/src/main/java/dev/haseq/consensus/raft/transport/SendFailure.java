package dev.haseq.consensus.raft.transport;

/** Why a message handed to {@link Transport#send} did not reach the socket. Raft retries all of these. */
public enum SendFailure {
    /** The per-peer queue was full (peer unreachable or slow): the oldest queued message was dropped. */
    QUEUE_OVERFLOW,
    /** The socket write failed (connection lost while the message was in flight). */
    WRITE_FAILED,
    /** The transport was closed with the message still queued. */
    CLOSED
}
