package dev.haseq.api.exec;

import dev.haseq.api.Block;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where catch-up gets historical committed blocks from (peers over P2P, or the DA layer). The
 * caller verifies linkage; a source may return fewer blocks than asked (never out of order).
 */
public interface BlockSource {

    String name();

    /** Blocks {@code [fromHeight, toHeight]} in order, possibly a prefix of that range. */
    CompletableFuture<List<Block>> fetch(long fromHeight, long toHeight);
}
