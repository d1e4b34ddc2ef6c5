package dev.haseq.api.consensus;

import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import java.util.Optional;

/**
 * A proposal or leader-only request reached a node that is not (or no longer) the leader. Carries
 * the leader this node knows of, if any, so the caller can retry there.
 */
public class NotLeaderException extends RuntimeException {
    private final transient Optional<PeerAddress> leaderHint;

    public NotLeaderException(NodeId self, Optional<PeerAddress> leaderHint) {
        super(self + " is not the leader" + leaderHint.map(l -> "; the leader is " + l).orElse("; no leader is known"));
        this.leaderHint = leaderHint;
    }

    public Optional<PeerAddress> leaderHint() {
        return leaderHint;
    }
}
