package dev.haseq.node.chain;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;

/**
 * A block known to be committed through Raft: only this package creates one, either on the apply
 * path ({@link ChainStateMachine#apply}) or by reading the block store, which holds committed
 * blocks only. Anything that must never touch an uncommitted block (the signer) takes this type,
 * so "never sign an uncommitted header" holds by construction.
 */
public final class CommittedBlock {
    private final Block block;

    CommittedBlock(Block block) {
        this.block = block;
    }

    public Block block() {
        return block;
    }

    public BlockHeader header() {
        return block.header();
    }

    public long height() {
        return block.height();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommittedBlock c && block.equals(c.block);
    }

    @Override
    public int hashCode() {
        return block.hashCode();
    }

    @Override
    public String toString() {
        return "CommittedBlock[" + block.height() + " " + block.hash() + "]";
    }
}
