package dev.haseq.node.chain;

/**
 * How far the chain has been submitted to the DA layer, as recorded through Raft so that a new
 * leader neither skips nor duplicates submissions.
 *
 * @param blockHeight the highest block height whose data is included in the DA layer (0: none)
 * @param daHeight    the DA height that included it (0: none)
 */
public record DaProgress(long blockHeight, long daHeight) {
    public static final DaProgress NONE = new DaProgress(0, 0);

    public DaProgress {
        if (blockHeight < 0 || daHeight < 0) {
            throw new IllegalArgumentException("DA progress must not be negative: block " + blockHeight + ", DA " + daHeight);
        }
    }
}
