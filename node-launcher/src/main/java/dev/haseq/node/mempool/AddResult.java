package dev.haseq.node.mempool;

import dev.haseq.api.Hash;
import java.util.OptionalLong;

/**
 * What {@link Mempool#add} did with a transaction.
 *
 * @param outcome         the verdict
 * @param hash            the transaction's hash
 * @param detail          why, for INVALID / FULL / TOO_LARGE (empty otherwise)
 * @param committedHeight for a DUPLICATE of a transaction already committed, its block height
 */
public record AddResult(Outcome outcome, Hash hash, String detail, OptionalLong committedHeight) {

    public enum Outcome {
        /** Queued; it will be proposed while this node leads. */
        ACCEPTED,
        /** Already pending, in a proposed block, or recently committed. */
        DUPLICATE,
        /** Count or byte bound reached: retry later (HTTP 503 with Retry-After). */
        FULL,
        /** The executor refused it (HTTP 400). */
        INVALID,
        /** Larger than the largest accepted transaction (HTTP 413). */
        TOO_LARGE
    }

    static AddResult of(Outcome outcome, Hash hash) {
        return new AddResult(outcome, hash, "", OptionalLong.empty());
    }

    static AddResult of(Outcome outcome, Hash hash, String detail) {
        return new AddResult(outcome, hash, detail, OptionalLong.empty());
    }
}
