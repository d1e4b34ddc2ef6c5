package dev.haseq.api.consensus;

/** Thrown by {@link StateMachine#apply} for a committed entry that is invalid; deterministic. */
public class RejectedEntryException extends Exception {
    public RejectedEntryException(String message) {
        super(message);
    }
}
