package dev.haseq.api;

import dev.haseq.api.codec.Codecs;

/**
 * A block header. Its {@link #hash()} is SHA-256 over its canonical encoding, so every node
 * computes the same hash for the same header.
 *
 * @param height          1 for the first block; each block is its parent's height + 1
 * @param timestampNanos  wall-clock nanoseconds since the epoch, strictly increasing along the chain
 * @param previousHash    hash of the parent header ({@link Hash#ZERO} for height 1)
 * @param dataHash        commitment to the block's transactions ({@link Block#dataHashOf})
 * @param stateRoot       the executor's state root after the parent block
 * @param proposer        the leader that proposed the block
 */
public record BlockHeader(long height, long timestampNanos, Hash previousHash, Hash dataHash, Hash stateRoot,
                          NodeId proposer) {

    public BlockHeader {
        if (height < 1) {
            throw new IllegalArgumentException("block height starts at 1, got " + height);
        }
        if (previousHash == null || dataHash == null || stateRoot == null || proposer == null) {
            throw new IllegalArgumentException("block header fields must not be null");
        }
    }

    public Hash hash() {
        return Hash.sha256(Codecs.BLOCK_HEADER.encode(this));
    }
}
