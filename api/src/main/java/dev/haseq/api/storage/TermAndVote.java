package dev.haseq.api.storage;

import dev.haseq.api.NodeId;
import java.util.Optional;

/** What a {@link StableStore} keeps: the current term and whom this node voted for in it. */
public record TermAndVote(long term, Optional<NodeId> votedFor) {
    public static final TermAndVote INITIAL = new TermAndVote(0, Optional.empty());

    public TermAndVote {
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
        if (votedFor == null) {
            throw new IllegalArgumentException("votedFor must not be null (use Optional.empty())");
        }
    }
}
