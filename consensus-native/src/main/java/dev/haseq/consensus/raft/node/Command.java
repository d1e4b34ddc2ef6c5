package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Committed;
import dev.haseq.consensus.raft.core.Message;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What other threads ask of the Raft loop; everything reaches the core through its inbox. */
sealed interface Command {

    /** A decoded message from a peer. */
    record Inbound(Message message) implements Command {
    }

    record Propose(byte[] data, CompletableFuture<Committed> future) implements Command {
    }

    record Barrier(CompletableFuture<Long> future) implements Command {
    }

    record Transfer(Optional<NodeId> target, CompletableFuture<NodeId> future) implements Command {
    }

    /** The applier committed a local snapshot. */
    record SnapshotTaken(long index, long term) implements Command {
    }

    /** The applier is done with the restore of a received snapshot (restored, or failed: the node is stopping). */
    record SnapshotRestored() implements Command {
    }

    /** The transport lost its connection to {@code peer}. */
    record Unreachable(NodeId peer) implements Command {
    }

    /** The {@link LogWriter} persisted a group of Readys (or failed). */
    record Persisted() implements Command {
    }

    record Stop() implements Command {
    }
}
