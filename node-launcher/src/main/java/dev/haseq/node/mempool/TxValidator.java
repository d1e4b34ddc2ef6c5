package dev.haseq.node.mempool;

import dev.haseq.api.Tx;
import dev.haseq.api.exec.InvalidTxException;

/** A stateless, thread-safe admission check (normally {@code Executor::validate}). */
@FunctionalInterface
public interface TxValidator {
    void validate(Tx tx) throws InvalidTxException;
}
