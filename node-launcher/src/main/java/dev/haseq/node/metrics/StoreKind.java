package dev.haseq.node.metrics;

import java.util.Locale;

/**
 * Which of the node's stores a file belongs to: the {@code store} label of the storage metrics.
 * A fixed set, so a path never becomes a label value.
 */
public enum StoreKind {
    /** The Raft log ({@code raft_dir/raft-log}). */
    RAFT_LOG,
    /** Snapshots ({@code raft_dir/snapshots}). */
    SNAPSHOTS,
    /** Anything else under {@code raft_dir} (term and vote). */
    RAFT_STATE,
    /** Committed blocks ({@code <storage.data_dir>/blocks}). */
    BLOCKS,
    /** A file outside the directories above (a third-party store's own layout). */
    OTHER;

    /** The label value: the constant's name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
