package dev.haseq.api.storage;

/**
 * A storage failure: an I/O error, or data on disk that is corrupt in a way that cannot be
 * repaired without losing committed data. The message names the file (and offset where known).
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
