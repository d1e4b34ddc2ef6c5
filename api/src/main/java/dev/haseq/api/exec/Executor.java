package dev.haseq.api.exec;

import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.Tx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Executes blocks' transactions against the rollup state. Called only from the state machine's
 * applier thread, in block order. Must be deterministic: the same blocks give the same roots on
 * every node.
 */
public interface Executor extends AutoCloseable {

    /** The current state root (that of the last executed block; {@link Hash#ZERO} when empty). */
    Hash stateRoot();

    /** Cheap stateless check of one transaction before it enters the mempool. */
    void validate(Tx tx) throws InvalidTxException;

    /**
     * Executes a committed block's transactions. An invalid transaction inside a committed block
     * is skipped deterministically (it was committed, so every node must treat it the same).
     *
     * @return the state root after the block
     */
    Hash execute(BlockHeader header, List<Tx> txs);

    void snapshot(OutputStream out) throws IOException;

    void restore(InputStream in) throws IOException;

    @Override
    void close();
}
