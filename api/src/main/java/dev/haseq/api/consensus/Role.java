package dev.haseq.api.consensus;

/** A member's Raft role. */
public enum Role {
    FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER
}
