package dev.haseq.node.mempool;

/** Where a transaction is, as far as this node knows. */
public sealed interface TxStatus {
    /** Waiting in the pool or inside a proposed block that is not committed yet. */
    record Pending() implements TxStatus {
    }

    /** Included in the committed block at {@code height}. */
    record Committed(long height) implements TxStatus {
    }

    /** Never seen, or committed too long ago to be remembered. */
    record Unknown() implements TxStatus {
    }
}
