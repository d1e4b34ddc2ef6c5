package dev.haseq.it.storage;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.NodeId;
import dev.haseq.api.Tx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic, properly linked test chains: the block at a height on a given fork is always
 * the same, so a reader can check any block it gets without remembering what was written.
 * Thread-safe.
 */
public final class Blocks {
    private static final Map<Long, List<Block>> FORKS = new HashMap<>();

    private Blocks() {
    }

    /** The block at {@code height} on {@code fork}; different forks differ at every height. */
    public static synchronized Block block(long height, long fork) {
        if (height < 1 || height > 10_000_000) {
            throw new IllegalArgumentException("height " + height);
        }
        List<Block> chain = FORKS.computeIfAbsent(fork, f -> new ArrayList<>());
        while (chain.size() < height) {
            long h = chain.size() + 1;
            chain.add(make(h, fork, h == 1 ? Hash.ZERO : chain.get((int) h - 2).hash()));
        }
        return chain.get((int) height - 1);
    }

    public static Block block(long height) {
        return block(height, 0);
    }

    /** Blocks {@code [from, toInclusive]} of fork 0. */
    public static List<Block> chain(long from, long toInclusive) {
        List<Block> out = new ArrayList<>();
        for (long h = from; h <= toInclusive; h++) {
            out.add(block(h));
        }
        return out;
    }

    private static Block make(long height, long fork, Hash previous) {
        SplittableRandom rnd = new SplittableRandom(height * 7919 + fork);
        int n = rnd.nextInt(6);
        List<Tx> txs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            txs.add(new Tx(b));
        }
        Hash stateRoot = Hash.sha256(("state:" + height + ":" + fork).getBytes(StandardCharsets.UTF_8));
        BlockHeader h = new BlockHeader(height, 1_700_000_000_000_000_000L + height * 1_000_000L + fork, previous,
                Block.dataHashOf(txs), stateRoot, NodeId.of("node-" + (1 + fork % 3)));
        return new Block(h, txs);
    }
}
