package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import java.util.Optional;

/**
 * A proposal or leader-only call reached a core that cannot take it: it is not the leader, or it
 * is the leader but is handing leadership over. Carries the leader this core knows of. Cheap to
 * throw (no stack trace): followers get proposals routinely.
 */
public final class NotLeader extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the request was refused. */
    public enum Reason {
        NOT_LEADER, TRANSFERRING_LEADERSHIP
    }

    private final transient Optional<NodeId> leaderHint;
    private final Reason reason;

    public NotLeader(NodeId self, Reason reason, Optional<NodeId> leaderHint) {
        super(self + (reason == Reason.NOT_LEADER ? " is not the leader" : " is transferring leadership")
                + leaderHint.map(l -> "; the leader is " + l).orElse("; no leader is known"), null, false, false);
        this.leaderHint = leaderHint;
        this.reason = reason;
    }

    public Optional<NodeId> leaderHint() {
        return leaderHint;
    }

    public Reason reason() {
        return reason;
    }
}
