package dev.haseq.api.storage;

/**
 * Identifies a snapshot: the last log index and term it covers. {@code size} is the payload
 * length in bytes once committed (-1 while unknown, e.g. when passed to {@link SnapshotStore#create}).
 */
public record SnapshotMeta(long index, long term, long size) {

    public SnapshotMeta {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("snapshot index and term must be >= 0");
        }
    }

    public static SnapshotMeta of(long index, long term) {
        return new SnapshotMeta(index, term, -1);
    }

    /** The file-system friendly name, {@code <term>-<index>}. */
    public String name() {
        return term + "-" + index;
    }
}
