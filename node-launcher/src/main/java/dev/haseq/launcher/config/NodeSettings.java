package dev.haseq.launcher.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code node.*} keys: block production, mempool bounds and the signing key.
 *
 * @param aggregator        produce blocks (every Raft member must)
 * @param blockTime         how often the leader produces a block
 * @param maxBlockBytes     upper bound of one block's transactions (a block is one Raft entry)
 * @param lazyMode          produce blocks only when transactions wait, or every lazyBlockInterval
 * @param lazyBlockInterval the longest gap between blocks in lazy mode
 * @param mempoolMaxTxs     transactions the mempool holds at most
 * @param mempoolMaxBytes   bytes the mempool holds at most
 * @param maxTxBytes        the largest single transaction accepted
 * @param signerKey         the Ed25519 key file (resolved against home)
 */
public record NodeSettings(boolean aggregator, Duration blockTime, long maxBlockBytes, boolean lazyMode,
                           Duration lazyBlockInterval, int mempoolMaxTxs, long mempoolMaxBytes, long maxTxBytes,
                           Path signerKey) {
    public static final String AGGREGATOR = "node.aggregator";
    public static final String BLOCK_TIME = "node.block_time";
    public static final String MAX_BLOCK_BYTES = "node.max_block_bytes";
    public static final String LAZY_MODE = "node.lazy_mode";
    public static final String LAZY_BLOCK_INTERVAL = "node.lazy_block_interval";
    public static final String MEMPOOL_MAX_TXS = "node.mempool_max_txs";
    public static final String MEMPOOL_MAX_BYTES = "node.mempool_max_bytes";
    public static final String MAX_TX_BYTES = "node.max_tx_bytes";
    public static final String SIGNER_KEY = "node.signer_key";

    /** A block must hold at least a header and a small transaction. */
    static final long MIN_BLOCK_BYTES = 1L << 10;
    /** A block is one Raft entry, replicated to every member within send_timeout: keep it modest. */
    static final long MAX_BLOCK_BYTES_LIMIT = 64L << 20;

    public NodeSettings {
        if (blockTime == null || lazyBlockInterval == null || signerKey == null) {
            throw new IllegalArgumentException("NodeSettings fields must not be null");
        }
    }

    static NodeSettings parse(ValueReader r) {
        boolean aggregator = r.bool(AGGREGATOR);
        Duration blockTime = r.duration(BLOCK_TIME);
        long maxBlock = r.bytes(MAX_BLOCK_BYTES, MIN_BLOCK_BYTES, MAX_BLOCK_BYTES_LIMIT);
        boolean lazy = r.bool(LAZY_MODE);
        Duration lazyInterval = r.duration(LAZY_BLOCK_INTERVAL);
        int maxTxs = (int) r.count(MEMPOOL_MAX_TXS, 1, Integer.MAX_VALUE);
        long mempoolBytes = r.bytes(MEMPOOL_MAX_BYTES, 1, Long.MAX_VALUE);
        long maxTx = r.bytes(MAX_TX_BYTES, 1, Long.MAX_VALUE);
        Path signer = r.path(SIGNER_KEY);

        if (r.ok(MAX_TX_BYTES, MAX_BLOCK_BYTES) && maxTx > maxBlock) {
            r.error(MAX_TX_BYTES, MAX_TX_BYTES + " (" + ByteSizes.format(maxTx) + ") must be <= " + MAX_BLOCK_BYTES
                    + " (" + ByteSizes.format(maxBlock) + "): a larger transaction could never be included in a "
                    + "block; lower max_tx_bytes or raise max_block_bytes");
        }
        if (r.ok(MAX_TX_BYTES, MEMPOOL_MAX_BYTES) && maxTx > mempoolBytes) {
            r.error(MAX_TX_BYTES, MAX_TX_BYTES + " (" + ByteSizes.format(maxTx) + ") must be <= " + MEMPOOL_MAX_BYTES
                    + " (" + ByteSizes.format(mempoolBytes) + "): such a transaction could never enter the mempool");
        }
        if (lazy && r.ok(LAZY_MODE, LAZY_BLOCK_INTERVAL, BLOCK_TIME) && lazyInterval.compareTo(blockTime) <= 0) {
            r.error(LAZY_BLOCK_INTERVAL, LAZY_BLOCK_INTERVAL + " (" + r.text(LAZY_BLOCK_INTERVAL) + ") must be longer "
                    + "than " + BLOCK_TIME + " (" + r.text(BLOCK_TIME) + ") in lazy mode; e.g. 60s");
        }
        return new NodeSettings(aggregator, blockTime, maxBlock, lazy, lazyInterval, maxTxs, mempoolBytes, maxTx,
                signer);
    }
}
