package dev.haseq.api.consensus;

/**
 * A consensus implementation, found with {@code ServiceLoader} and selected by
 * {@code raft.provider} ({@code native}, {@code atomix}, or a third party's name).
 */
public interface ConsensusProvider {

    String name();

    /** Creates a node; nothing is opened or bound until {@link ConsensusNode#start()}. */
    ConsensusNode create(ConsensusContext context);
}
