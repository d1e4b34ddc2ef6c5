package dev.haseq.node.testing;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.NodeId;
import dev.haseq.api.Tx;
import dev.haseq.node.chain.ChainHead;
import dev.haseq.node.chain.NodeEntry;
import dev.haseq.node.chain.NodeEntryCodec;
import dev.haseq.node.exec.KvTx;
import java.util.Arrays;
import java.util.List;

/** Builds blocks and entries for tests. */
public final class Blocks {
    public static final NodeId PROPOSER = NodeId.of("node-1");

    private Blocks() {
    }

    public static Tx set(String key, String value) {
        return new KvTx(key, value).toTx();
    }

    /** The valid next block after {@code head}, timestamp head + 1000 ns. */
    public static Block next(ChainHead head, Tx... txs) {
        return next(head, head.timestampNanos() + 1000, txs);
    }

    public static Block next(ChainHead head, long timestamp, Tx... txs) {
        List<Tx> list = Arrays.asList(txs);
        return new Block(new BlockHeader(head.height() + 1, timestamp, head.hash(), Block.dataHashOf(list),
                head.stateRoot(), PROPOSER), list);
    }

    public static Block withHeader(Block b, long height, long ts, Hash prev, Hash data, Hash root) {
        return new Block(new BlockHeader(height, ts, prev, data, root, b.header().proposer()), b.txs());
    }

    public static byte[] entry(Block b) {
        return NodeEntryCodec.encode(new NodeEntry.BlockEntry(b));
    }
}
