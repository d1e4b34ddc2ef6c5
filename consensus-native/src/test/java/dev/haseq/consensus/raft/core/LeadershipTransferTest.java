package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.consensus.raft.core.Message.AppendRequest;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.Message.TimeoutNow;
import dev.haseq.consensus.raft.core.Message.VoteRequest;
import dev.haseq.consensus.raft.core.Message.VoteResponse;
import dev.haseq.consensus.raft.core.TestCluster.Node;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeadershipTransferTest {
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");

    private static void propose(TestCluster c, Node leader, int n) {
        for (int i = 0; i < n; i++) {
            leader.core.propose(new byte[] {(byte) i});
        }
        leader.drain();
        c.deliver();
    }

    @Test
    void transferLeadershipPicksMostUpToDateFollower() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.tickAll(1);
        c.drop = m -> m instanceof AppendResponse && m.from().equals(N3); // n3 healthy but its acks are late
        propose(c, n1, 3);
        c.heal();

        NodeId target = n1.core.transferLeadership(Optional.empty());
        n1.drain();
        c.deliver();

        assertThat(target).isEqualTo(N2);
        assertThat(c.node("n2").isLeader()).isTrue();
        assertThat(n1.core.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n1.events(CoreEvent.TransferFinished.class)).singleElement().satisfies(e -> {
            assertThat(e.success()).isTrue();
            assertThat(e.newLeader()).contains(N2);
        });
    }

    @Test
    void timeoutNowElectionBypassesLeaderStickiness() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.tickAll(1); // n3 has just heard from the leader: it would refuse an ordinary vote
        n1.core.transferLeadership(Optional.of(N2));
        n1.drain();
        c.deliver();

        assertThat(c.sent).filteredOn(VoteRequest.class::isInstance).filteredOn(m -> m.from().equals(N2))
                .allSatisfy(m -> assertThat(((VoteRequest) m).leadershipTransfer()).isTrue());
        assertThat(c.sent).filteredOn(VoteResponse.class::isInstance).filteredOn(m -> m.from().equals(N3))
                .anySatisfy(m -> assertThat(((VoteResponse) m).granted()).isTrue());
        assertThat(c.node("n2").isLeader()).isTrue();
    }

    @Test
    void transferBringsTheTargetUpToDateBeforeSendingTimeoutNow() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.tickAll(1);
        c.drop = m -> m instanceof AppendRequest && m.to().equals(N3);
        propose(c, n1, 5);
        long last = n1.core.lastIndex();
        n1.core.transferLeadership(Optional.of(N3));
        n1.drain();
        assertThat(c.network).noneMatch(TimeoutNow.class::isInstance);
        c.heal();
        c.tickAll(2 * TestCluster.SEND);

        int timeoutNow = indexOf(c, TimeoutNow.class, N3);
        int caughtUp = -1;
        for (int i = 0; i < c.sent.size(); i++) {
            if (c.sent.get(i) instanceof AppendResponse r && r.from().equals(N3) && r.success()
                    && r.index() == last) {
                caughtUp = i;
                break;
            }
        }
        assertThat(caughtUp).isNotNegative();
        assertThat(timeoutNow).isGreaterThan(caughtUp);
        assertThat(c.node("n3").isLeader()).isTrue();
    }

    @Test
    void leaderRefusesProposalsWhileTransferring() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.isolate("n2");
        n1.core.transferLeadership(Optional.of(N2));

        assertThat(n1.core.isTransferring()).isTrue();
        assertThat(n1.core.hasValidLease()).isFalse();
        assertThatThrownBy(() -> n1.core.propose(new byte[] {1})).isInstanceOfSatisfying(NotLeader.class,
                e -> assertThat(e.reason()).isEqualTo(NotLeader.Reason.TRANSFERRING_LEADERSHIP));
    }

    @Test
    void transferIsAbandonedAfterAnElectionTimeout() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.drop = m -> m instanceof TimeoutNow;
        n1.core.transferLeadership(Optional.of(N2));
        c.tickAll(TestCluster.ELECTION);

        assertThat(n1.isLeader()).isTrue();
        assertThat(n1.core.isTransferring()).isFalse();
        assertThat(n1.events(CoreEvent.TransferFinished.class)).singleElement().satisfies(e -> {
            assertThat(e.success()).isFalse();
            assertThat(e.target()).isEqualTo(N2);
            assertThat(e.detail()).contains("election timeout");
        });
        assertThat(n1.core.propose(new byte[] {1}).term()).isEqualTo(n1.core.term());
    }

    @Test
    void onlyTheLeaderTransfersAndOnlyToAPeer() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        assertThatThrownBy(() -> c.node("n2").core.transferLeadership(Optional.empty()))
                .isInstanceOf(NotLeader.class);
        assertThatThrownBy(() -> n1.core.transferLeadership(Optional.of(NodeId.of("n9"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a peer");
    }

    private static int indexOf(TestCluster c, Class<? extends Message> type, NodeId to) {
        for (int i = 0; i < c.sent.size(); i++) {
            if (type.isInstance(c.sent.get(i)) && c.sent.get(i).to().equals(to)) {
                return i;
            }
        }
        return -1;
    }
}
