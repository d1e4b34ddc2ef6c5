package dev.haseq.consensus.raft.transport;

/** A received frame (or handshake) is unacceptable; the connection is closed for {@link #reason()}. */
final class FrameException extends RuntimeException {
    private final CloseReason reason;

    FrameException(CloseReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    CloseReason reason() {
        return reason;
    }
}
