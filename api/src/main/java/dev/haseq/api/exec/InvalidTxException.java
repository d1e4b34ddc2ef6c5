package dev.haseq.api.exec;

/** A transaction the executor will not accept; the message says why. */
public class InvalidTxException extends Exception {
    public InvalidTxException(String message) {
        super(message);
    }
}
