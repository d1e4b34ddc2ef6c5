package dev.haseq.launcher.wiring;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusListener;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs leader changes and snapshot transfers, the events an operator reads a node's log for. */
final class LeadershipLog implements ConsensusListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.haseq.raft");

    @Override
    public void leaderChanged(long term, Optional<NodeId> leader, boolean self) {
        if (leader.isEmpty()) {
            LOG.info("no leader known (term {})", term);
        } else if (self) {
            LOG.info("this node is the leader (term {})", term);
        } else {
            LOG.info("leader is {} (term {})", leader.get(), term);
        }
    }

    @Override
    public void snapshotInstalled(long index, long term) {
        LOG.info("installed a snapshot from the leader at index {} (term {})", index, term);
    }

    @Override
    public void snapshotReceiveStarted(long index, long term) {
        LOG.info("receiving a snapshot from the leader at index {} (term {}): this node is too far behind to "
                + "catch up from the leader's log", index, term);
    }

    @Override
    public void snapshotSent(NodeId peer, long index) {
        LOG.info("sending a snapshot at index {} to {}: it needs entries no longer in the log (more than "
                + "raft.trailing_logs behind)", index, peer);
    }

    @Override
    public void snapshotSendFinished(NodeId peer, long index) {
        LOG.info("{} holds the snapshot at index {} now", peer, index);
    }
}
