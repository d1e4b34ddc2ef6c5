package dev.haseq.node.chain;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import java.util.Optional;

/**
 * The linkage rules a committed block must satisfy against the current head. Pure functions of
 * (head, block), so every node reaches the same verdict.
 */
public final class ChainRules {
    private ChainRules() {
    }

    /** Why {@code block} cannot follow {@code head}, or empty if it can. */
    public static Optional<String> violation(ChainHead head, Block block) {
        BlockHeader h = block.header();
        if (h.height() != head.height() + 1) {
            return Optional.of("block height " + h.height() + " does not follow head height " + head.height()
                    + " (expected " + (head.height() + 1) + ")");
        }
        if (!h.previousHash().equals(head.hash())) {
            return Optional.of("block " + h.height() + " previous hash " + h.previousHash()
                    + " is not the head hash " + head.hash());
        }
        if (h.timestampNanos() <= head.timestampNanos()) {
            return Optional.of("block " + h.height() + " timestamp " + h.timestampNanos()
                    + " is not after the head timestamp " + head.timestampNanos());
        }
        if (!block.dataHashMatches()) {
            return Optional.of("block " + h.height() + " data hash " + h.dataHash()
                    + " does not match its " + block.txs().size() + " transactions");
        }
        if (!h.stateRoot().equals(head.stateRoot())) {
            return Optional.of("block " + h.height() + " state root " + h.stateRoot()
                    + " is not the state root after its parent " + head.stateRoot());
        }
        return Optional.empty();
    }

    /** Why {@code progress} cannot be recorded at {@code head}, or empty if it can. */
    public static Optional<String> violation(ChainHead head, DaProgress progress) {
        if (progress.blockHeight() > head.height()) {
            return Optional.of("DA progress to block " + progress.blockHeight() + " is past the head " + head.height());
        }
        DaProgress current = head.daProgress();
        if (progress.blockHeight() <= current.blockHeight() || progress.daHeight() < current.daHeight()) {
            return Optional.of("DA progress (block " + progress.blockHeight() + ", DA " + progress.daHeight()
                    + ") does not advance the recorded progress (block " + current.blockHeight() + ", DA "
                    + current.daHeight() + ")");
        }
        return Optional.empty();
    }
}
