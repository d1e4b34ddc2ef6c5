package dev.haseq.api.exec;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A data-availability layer. Thread-safe; calls may block on the network, so callers use the
 * futures and never call from a consensus thread.
 */
public interface DataAvailability extends AutoCloseable {

    /** Submits blobs in order; completes with the DA height that includes them. */
    CompletableFuture<Long> submit(List<byte[]> blobs);

    /** The blobs included at a DA height (empty if none). */
    CompletableFuture<List<byte[]>> fetch(long daHeight);

    @Override
    void close();
}
