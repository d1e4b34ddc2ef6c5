package dev.haseq.node.producer;

import java.time.Duration;

/** What the block producer reports, for metrics and logs. Called on the producer's thread; must be fast. */
public interface ProductionListener {
    ProductionListener NONE = new ProductionListener() {
    };

    default void blockProposed(long height, int txCount) {
    }

    /** The proposed block committed and was applied locally after {@code latency}. */
    default void blockCommitted(long height, Duration latency) {
    }

    /** The proposal failed (leadership lost, or the state machine rejected it); its txs went back. */
    default void proposalFailed(long height, Throwable cause) {
    }
}
