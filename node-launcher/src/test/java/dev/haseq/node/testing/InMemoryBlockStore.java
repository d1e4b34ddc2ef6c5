package dev.haseq.node.testing;

import dev.haseq.api.Block;
import dev.haseq.api.storage.BlockStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Test double of {@link BlockStore} with the SPI's put semantics. Not registered with ServiceLoader. */
public final class InMemoryBlockStore implements BlockStore {
    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    private int puts;

    @Override
    public synchronized void put(Block block) {
        Block existing = blocks.get(block.height());
        if (existing != null) {
            if (!existing.hash().equals(block.hash())) {
                throw new IllegalStateException("a different block is already stored at height " + block.height());
            }
            return;
        }
        if (!blocks.isEmpty() && block.height() != blocks.lastKey() + 1) {
            throw new IllegalStateException("block " + block.height() + " does not follow stored head " + blocks.lastKey());
        }
        blocks.put(block.height(), block);
        puts++;
    }

    @Override
    public synchronized Optional<Block> get(long height) {
        return Optional.ofNullable(blocks.get(height));
    }

    @Override
    public synchronized List<Block> range(long from, long toInclusive, int maxCount) {
        List<Block> out = new ArrayList<>();
        for (Block b : blocks.subMap(from, true, toInclusive, true).values()) {
            if (out.size() >= maxCount) {
                break;
            }
            out.add(b);
        }
        return out;
    }

    @Override
    public synchronized OptionalLong headHeight() {
        return blocks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(blocks.lastKey());
    }

    @Override
    public synchronized OptionalLong firstHeight() {
        return blocks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(blocks.firstKey());
    }

    /** How many puts actually stored a new block. */
    public synchronized int storedPuts() {
        return puts;
    }

    @Override
    public void close() {
    }
}
