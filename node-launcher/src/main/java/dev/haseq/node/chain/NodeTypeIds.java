package dev.haseq.node.chain;

import dev.haseq.api.codec.TypeIds;

/**
 * Frame type ids of the node's own records, in the node range {@link TypeIds#NODE_FIRST}-{@link TypeIds#NODE_LAST}.
 * Log entries (what the chain state machine applies) use 200-219; snapshots 220-239; executors 240-259;
 * 260-299 are free for future node records.
 */
public final class NodeTypeIds {
    /** A Raft log entry carrying a proposed block ({@link NodeEntry.BlockEntry}). */
    public static final int BLOCK_ENTRY = 200;
    /** A Raft log entry recording DA submission progress ({@link NodeEntry.DaProgressEntry}). */
    public static final int DA_PROGRESS_ENTRY = 201;
    /** The chain head at the start of a chain state machine snapshot. */
    public static final int CHAIN_SNAPSHOT = 220;
    /** The key-value executor's state in a snapshot. */
    public static final int KV_SNAPSHOT = 240;

    private NodeTypeIds() {
    }
}
