package dev.haseq.node.chain;

import dev.haseq.api.Block;
import dev.haseq.api.Hash;

/**
 * The committed head of the chain as the state machine knows it: what a snapshot carries and what
 * the next block must link to.
 *
 * @param height         height of the last applied block (0 before the first block)
 * @param hash           its header hash ({@link Hash#ZERO} before the first block)
 * @param timestampNanos its timestamp (0 before the first block; the next one must be greater)
 * @param stateRoot      the executor's state root after it: the {@code stateRoot} the next header must carry
 * @param daProgress     how far the chain has been submitted to the DA layer
 */
public record ChainHead(long height, Hash hash, long timestampNanos, Hash stateRoot, DaProgress daProgress) {

    public ChainHead {
        if (height < 0 || hash == null || stateRoot == null || daProgress == null) {
            throw new IllegalArgumentException("invalid chain head: height " + height);
        }
    }

    /** The head before any block, over an executor whose current root is {@code stateRoot}. */
    public static ChainHead genesis(Hash stateRoot) {
        return new ChainHead(0, Hash.ZERO, 0, stateRoot, DaProgress.NONE);
    }

    /** The head after {@code block} was executed to {@code newStateRoot}. */
    ChainHead advance(Block block, Hash newStateRoot) {
        return new ChainHead(block.height(), block.hash(), block.header().timestampNanos(), newStateRoot, daProgress);
    }

    ChainHead withDaProgress(DaProgress progress) {
        return new ChainHead(height, hash, timestampNanos, stateRoot, progress);
    }
}
