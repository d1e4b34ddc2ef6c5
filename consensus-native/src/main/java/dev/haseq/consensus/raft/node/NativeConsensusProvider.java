package dev.haseq.consensus.raft.node;

import dev.haseq.api.consensus.ConsensusContext;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.ConsensusProvider;
import java.util.SplittableRandom;

/**
 * The {@code native} consensus provider ({@code raft.provider: native}, the default): haseq's own
 * Raft. Found through {@code ServiceLoader}.
 */
public final class NativeConsensusProvider implements ConsensusProvider {
    public static final String NAME = "native";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates a {@link RaftNode}; nothing is opened until {@code start()}. Election timeouts and
     * reconnect jitter draw from a generator seeded from the system's entropy here, at the edge,
     * so every node of a cluster randomizes differently.
     */
    @Override
    public ConsensusNode create(ConsensusContext context) {
        return new RaftNode(context, new SplittableRandom());
    }
}
