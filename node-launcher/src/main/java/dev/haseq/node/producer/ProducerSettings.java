package dev.haseq.node.producer;

import java.time.Duration;

/**
 * Block production settings.
 *
 * @param blockTime       how often the leader builds a block (default 1 s)
 * @param maxBlockBytes   most transaction bytes in one block
 * @param lazyMode        build a block only when transactions are waiting ...
 * @param lazyMaxInterval ... or when this long has passed since the last block (then an empty block)
 */
public record ProducerSettings(Duration blockTime, long maxBlockBytes, boolean lazyMode, Duration lazyMaxInterval) {
    public static final ProducerSettings DEFAULTS =
            new ProducerSettings(Duration.ofSeconds(1), 8L << 20, false, Duration.ofSeconds(60));

    public ProducerSettings {
        if (blockTime == null || blockTime.isNegative() || blockTime.isZero()) {
            throw new IllegalArgumentException("block time must be positive, got " + blockTime);
        }
        if (maxBlockBytes < 1) {
            throw new IllegalArgumentException("max block bytes must be positive, got " + maxBlockBytes);
        }
        if (lazyMaxInterval == null || lazyMaxInterval.compareTo(blockTime) < 0) {
            throw new IllegalArgumentException("lazy max interval (" + lazyMaxInterval
                    + ") must be at least the block time (" + blockTime + ")");
        }
    }
}
