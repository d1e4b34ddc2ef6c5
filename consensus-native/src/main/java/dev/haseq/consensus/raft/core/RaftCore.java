package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The Raft algorithm as a pure, deterministic state machine (the etcd-raft shape): inputs are
 * {@link #step} (a message), {@link #tick} (the only way time passes), {@link #propose} and the
 * driver's reports; the output is {@link Ready}, acknowledged with {@link #advance}. No clock,
 * thread, socket, disk or unseeded randomness: the same inputs give the same outputs.
 *
 * <p>Not thread-safe: one thread (the driver's Raft loop) calls everything.
 */
public final class RaftCore {

    public RaftCore(CoreConfig config, TermAndVote hardState, LogView log, Optional<SnapshotMeta> snapshot,
                    RandomGenerator random) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void tick() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void step(Message m) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Proposal propose(byte[] data) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public NodeId transferLeadership(Optional<NodeId> target) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void snapshotTaken(long index, long term) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void setCatchingUp(boolean catchingUp) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void snapshotChunkRead(SnapshotChunk chunk) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void snapshotReadFailed(NodeId peer, String reason) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void snapshotReceived(long index, long term, boolean ok) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void reportUnreachable(NodeId peer) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public boolean hasReady() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Ready ready() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void advance(Ready ready) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public NodeId id() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Role role() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public boolean isLeader() {
        return role() == Role.LEADER;
    }

    public long term() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Optional<NodeId> leader() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public long commitIndex() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public long lastIndex() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public long snapshotIndex() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public boolean hasValidLease() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public boolean isTransferring() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public boolean isCatchingUp() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public List<PeerProgress> peerProgress() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public long currentTick() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public CoreConfig config() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
