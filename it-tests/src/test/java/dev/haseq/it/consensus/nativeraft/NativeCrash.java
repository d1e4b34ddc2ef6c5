package dev.haseq.it.consensus.nativeraft;

import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.consensus.raft.node.RaftNode;

/**
 * The native provider's crash hook: {@link RaftNode#halt()} drops every connection, stops the
 * threads and closes the stores without handing leadership over. It is the same path the node
 * takes to fail-stop after a storage error.
 */
final class NativeCrash {
    private NativeCrash() {
    }

    static void crash(ConsensusNode node) {
        if (!(node instanceof RaftNode raft)) {
            throw new IllegalArgumentException("not a native node: " + node.getClass().getName());
        }
        raft.halt();
    }
}
