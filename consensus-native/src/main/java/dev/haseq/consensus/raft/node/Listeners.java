package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Fans events out to every registered {@link ConsensusListener}; one failing listener does not stop the others. */
final class Listeners implements ConsensusListener {
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
    private final List<ConsensusListener> listeners = new CopyOnWriteArrayList<>();

    void add(ConsensusListener l) {
        listeners.add(l);
    }

    private void each(Consumer<ConsensusListener> call) {
        for (ConsensusListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "consensus listener " + l + " failed", e);
            }
        }
    }

    @Override
    public void leaderChanged(long term, Optional<NodeId> leader, boolean self) {
        each(l -> l.leaderChanged(term, leader, self));
    }

    @Override
    public void electionStarted(long term, boolean preVote) {
        each(l -> l.electionStarted(term, preVote));
    }

    @Override
    public void snapshotTaken(long index, long term) {
        each(l -> l.snapshotTaken(index, term));
    }

    @Override
    public void snapshotInstalled(long index, long term) {
        each(l -> l.snapshotInstalled(index, term));
    }

    @Override
    public void snapshotSent(NodeId peer, long index) {
        each(l -> l.snapshotSent(peer, index));
    }

    @Override
    public void snapshotSendFinished(NodeId peer, long index) {
        each(l -> l.snapshotSendFinished(peer, index));
    }

    @Override
    public void snapshotSendFailed(NodeId peer, long index) {
        each(l -> l.snapshotSendFailed(peer, index));
    }

    @Override
    public void snapshotReceiveStarted(long index, long term) {
        each(l -> l.snapshotReceiveStarted(index, term));
    }

    @Override
    public void snapshotReceiveFailed(long index, long term) {
        each(l -> l.snapshotReceiveFailed(index, term));
    }

    @Override
    public void sendFailed(NodeId peer) {
        each(l -> l.sendFailed(peer));
    }

    @Override
    public void failed(Throwable cause) {
        each(l -> l.failed(cause));
    }
}
