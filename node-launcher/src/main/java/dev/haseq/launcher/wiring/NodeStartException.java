package dev.haseq.launcher.wiring;

/** The node could not be built or started; the message says what to fix. */
public final class NodeStartException extends RuntimeException {
    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
