package dev.haseq.consensus.raft.transport;

/** The transport cannot do its job at all (e.g. the listen address cannot be bound). */
public class TransportException extends RuntimeException {
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
