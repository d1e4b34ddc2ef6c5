package dev.haseq.api.storage;

import dev.haseq.api.Block;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Committed blocks by height. Blocks are stored in height order without gaps above the first
 * stored height (catch-up may start the store above height 1). {@link #put} is durable before it
 * returns. Putting a block at an existing height with the same hash is a no-op; with a different
 * hash it is an {@link IllegalStateException} (two blocks at one height must never happen).
 * One writer, concurrent readers.
 */
public interface BlockStore extends AutoCloseable {

    /** Stores the block; its height must be {@code head + 1}, or any height if the store is empty. */
    void put(Block block);

    Optional<Block> get(long height);

    /** Blocks {@code [from, toInclusive]} that exist, in order, at most {@code maxCount}. */
    List<Block> range(long from, long toInclusive, int maxCount);

    /** The highest stored height, empty if none. */
    OptionalLong headHeight();

    /** The lowest stored height, empty if none. */
    OptionalLong firstHeight();

    @Override
    void close();
}
