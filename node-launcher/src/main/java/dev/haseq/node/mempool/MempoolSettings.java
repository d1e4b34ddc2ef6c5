package dev.haseq.node.mempool;

/**
 * Mempool limits.
 *
 * @param maxTxs            most transactions held (pending plus in a proposed, uncommitted block)
 * @param maxBytes          most transaction bytes held, counted the same way
 * @param maxTxBytes        largest single transaction accepted (larger: 413)
 * @param committedMemory   how many committed transaction hashes are remembered (for de-duplication,
 *                          {@code GET /tx/{hash}} and late {@code ?wait=commit}); oldest forgotten first
 */
public record MempoolSettings(int maxTxs, long maxBytes, int maxTxBytes, int committedMemory) {
    public static final MempoolSettings DEFAULTS = new MempoolSettings(10_000, 64L << 20, 1 << 20, 100_000);

    public MempoolSettings {
        if (maxTxs < 1 || maxBytes < 1 || maxTxBytes < 1 || committedMemory < 0) {
            throw new IllegalArgumentException("mempool limits must be positive: maxTxs " + maxTxs + ", maxBytes "
                    + maxBytes + ", maxTxBytes " + maxTxBytes + ", committedMemory " + committedMemory);
        }
        if (maxTxBytes > maxBytes) {
            throw new IllegalArgumentException("mempool maxTxBytes (" + maxTxBytes + ") must be <= maxBytes (" + maxBytes + ")");
        }
    }
}
