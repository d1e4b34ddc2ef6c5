package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import java.util.Optional;

/** Volatile state the driver reports (role, term, known leader); never persisted. */
public record SoftState(Role role, long term, Optional<NodeId> leader) {
}
