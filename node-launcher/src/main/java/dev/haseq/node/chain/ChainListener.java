package dev.haseq.node.chain;

/**
 * Told about every change the chain state machine makes. Called on the consensus applier thread,
 * in log order, after the change is in effect: implementations must be fast, thread-safe and must
 * not block (complete futures, update counters, hand work to another thread). An exception thrown
 * by a listener is logged and ignored: the chain has already advanced.
 */
public interface ChainListener {

    /** A committed block was applied at Raft {@code index}; {@code head} is the new head. */
    default void blockApplied(long index, CommittedBlock block, ChainHead head) {
    }

    /** The state was replaced by a snapshot; {@code head} is the restored head. */
    default void restored(ChainHead head) {
    }
}
