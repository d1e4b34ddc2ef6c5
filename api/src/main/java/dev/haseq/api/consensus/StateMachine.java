package dev.haseq.api.consensus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The replicated state machine, implemented by the node and driven by consensus.
 *
 * <p>Consensus calls {@link #apply} for every committed entry, in log order, exactly once per
 * start-up and never concurrently with {@link #snapshot} or {@link #restore} (all three are called
 * from one applier thread). On start the provider restores the latest snapshot (if any) and then
 * re-applies the committed entries after it: the state machine is rebuilt from snapshot + log.
 *
 * <p>{@code apply} must be deterministic: the same entries in the same order give the same state
 * and the same results on every node. An entry the state machine refuses (e.g. a block that does
 * not link) must be refused identically everywhere by throwing {@link RejectedEntryException};
 * consensus then fails the proposer's future with it and continues with the next entry.
 */
public interface StateMachine {

    /**
     * Applies a committed entry.
     *
     * @return a result handed to the proposer in {@link Committed#result()} (may be empty)
     * @throws RejectedEntryException if the entry is invalid (the state is left unchanged)
     */
    byte[] apply(long index, byte[] entry) throws RejectedEntryException;

    /** Writes the state as of the last applied entry. */
    void snapshot(OutputStream out) throws IOException;

    /** Replaces the state with a snapshot written by {@link #snapshot}. */
    void restore(InputStream in) throws IOException;

    /**
     * True while the state machine is still fetching history it needs (catch-up after a snapshot
     * install). A node that is catching up does not campaign for leadership.
     */
    default boolean isCatchingUp() {
        return false;
    }
}
