package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.Message.AppendRequest;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.PeerProgress.ReplicationState;
import dev.haseq.consensus.raft.core.TestCluster.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationTest {

    private static byte[] data(int i) {
        return new byte[] {(byte) i, 1, 2, 3};
    }

    @Test
    void proposalCommitsOnQuorumAndIsAppliedOnEveryNode() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        Proposal p = n1.core.propose(data(7));
        n1.drain();
        c.deliver();
        c.tickAll(1); // heartbeat carries the new commit index

        for (Node n : c.nodes.values()) {
            assertThat(n.applied).extracting(LogEntry::index).containsExactly(1L, 2L);
            assertThat(n.applied.get(1).data()).isEqualTo(data(7));
            assertThat(n.applied.get(1).term()).isEqualTo(p.term());
        }
        assertThat(n1.applied.get(0).data()).as("the leader's no-op").isEmpty();
    }

    @Test
    void followerAndNonLeaderRefuseProposalsWithALeaderHint() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        c.tickAll(1);
        assertThatThrownBy(() -> c.node("n2").core.propose(data(1))).isInstanceOfSatisfying(NotLeader.class,
                e -> {
                    assertThat(e.leaderHint()).contains(NodeId.of("n1"));
                    assertThat(e.reason()).isEqualTo(NotLeader.Reason.NOT_LEADER);
                });
        assertThatThrownBy(() -> c.node("n1").core.propose(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-op");
    }

    @Test
    void noOpEntryCommitsPreviousTermEntries() {
        // One entry per append, so the old entry and the new leader's no-op are acknowledged separately.
        TestCluster c = new TestCluster(3, 1, 8, 64, 5);
        Node n1 = c.elect("n1");
        NodeId n3 = NodeId.of("n3");
        c.drop = m -> m.to().equals(n3) || m.from().equals(n3) || m instanceof AppendResponse;
        Proposal old = n1.core.propose(data(9)); // reaches n2 but is never acknowledged: not committed
        n1.drain();
        c.deliver();
        assertThat(c.node("n2").core.lastIndex()).isEqualTo(old.index());
        assertThat(n1.core.commitIndex()).isLessThan(old.index());
        n1.down = true;
        c.heal();

        Node n2 = c.elect("n2");
        long noOp = n2.core.lastIndex();
        assertThat(n2.core.term()).isGreaterThan(old.term());
        assertThat(noOp).isEqualTo(old.index() + 1);
        // Watch the moment n3 holds the old entry but not yet the no-op.
        Node follower = c.node("n3");
        assertThat(follower.core.lastIndex()).isEqualTo(noOp);
        List<AppendResponse> acks = c.sent.stream().filter(AppendResponse.class::isInstance)
                .map(AppendResponse.class::cast).filter(a -> a.from().equals(n3) && a.success()).toList();
        assertThat(acks).extracting(AppendResponse::index).contains(old.index(), noOp);
        assertThat(n2.core.commitIndex()).isEqualTo(noOp);
        assertThat(n2.applied).extracting(LogEntry::index).containsSequence(old.index(), noOp);
        assertThat(n2.applied.get(n2.applied.size() - 2).data()).isEqualTo(data(9));
    }

    @Test
    void oldTermEntryOnAQuorumIsNotCommittedByCountingReplicas() {
        TestCluster c = new TestCluster(3, 1, 8, 64, 5);
        Node n1 = c.elect("n1");
        NodeId n3 = NodeId.of("n3");
        c.drop = m -> m.to().equals(n3) || m.from().equals(n3) || m instanceof AppendResponse;
        Proposal old = n1.core.propose(data(9));
        n1.drain();
        c.deliver();
        n1.down = true;
        c.heal();
        // n2 wins, but n3 never acknowledges the no-op: the old entry is on n2 and n3 (a quorum) yet
        // must not commit, because only an entry of the current term commits by counting.
        NodeId n2 = NodeId.of("n2");
        Node follower = c.node("n3");
        c.drop = m -> m instanceof AppendRequest a && a.to().equals(n3) && a.prevLogIndex() == old.index()
                && follower.core.lastIndex() >= old.index();
        Node leader = c.elect("n2");
        c.tickAll(3);

        assertThat(c.node("n3").core.lastIndex()).isEqualTo(old.index());
        assertThat(leader.id).isEqualTo(n2);
        assertThat(leader.core.commitIndex()).isLessThan(old.index());
        assertThat(leader.applied).extracting(LogEntry::index).doesNotContain(old.index());
    }

    @Test
    void leaderMatchAdvancesOnlyWhenItsOwnWriteIsPersisted() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.node("n3").down = true;
        n1.paused = true;
        Proposal p = n1.core.propose(data(1));
        n1.drain();
        assertThat(c.network).filteredOn(AppendRequest.class::isInstance)
                .as("the append goes out before the leader's own write").isNotEmpty();
        c.deliver();
        assertThat(c.node("n2").core.lastIndex()).isEqualTo(p.index());
        assertThat(n1.core.commitIndex()).as("n2 alone is not a quorum without the leader's durable copy")
                .isLessThan(p.index());

        n1.persistAll();
        n1.drain();
        assertThat(n1.core.commitIndex()).isEqualTo(p.index());
    }

    @Test
    void followerAcknowledgesOnlyAfterPersisting() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        Node n2 = c.node("n2");
        n2.paused = true;
        n1.core.propose(data(1));
        n1.drain();
        int before = c.sent.size();
        c.deliver();
        assertThat(c.sent.subList(before, c.sent.size())).filteredOn(m -> m.from().equals(n2.id))
                .noneMatch(AppendResponse.class::isInstance);

        n2.persistAll();
        assertThat(c.network).filteredOn(m -> m.from().equals(n2.id)).anyMatch(AppendResponse.class::isInstance);
    }

    @Test
    void proposalsBetweenTwoReadysGoOutAsOneBatchedAppendPerFollower() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.tickAll(1);
        int before = c.sent.size();
        for (int i = 0; i < 10; i++) {
            n1.core.propose(data(i));
        }
        n1.drain();

        List<AppendRequest> appends = c.sent.subList(before, c.sent.size()).stream()
                .filter(AppendRequest.class::isInstance).map(AppendRequest.class::cast).toList();
        assertThat(appends).hasSize(2);
        assertThat(appends).allSatisfy(a -> assertThat(a.entries()).hasSize(10));
    }

    @Test
    void pipelinesUpToTheInflightLimitThenWaitsForAcknowledgements() {
        TestCluster c = new TestCluster(3, 1, 3, 64, 5); // one entry per append, three in flight
        Node n1 = c.elect("n1");
        c.tickAll(1);
        c.drop = m -> m instanceof AppendResponse;
        int before = c.sent.size();
        for (int i = 0; i < 10; i++) {
            n1.core.propose(data(i));
        }
        n1.drain();

        List<Message> out = c.sent.subList(before, c.sent.size());
        assertThat(out).filteredOn(m -> m instanceof AppendRequest && m.to().equals(NodeId.of("n2"))).hasSize(3);
        assertThat(n1.core.peerProgress().get(0).state()).isEqualTo(ReplicationState.REPLICATE);

        c.heal();
        c.deliver();
        c.tickAll(1);
        assertThat(c.node("n2").core.lastIndex()).isEqualTo(n1.core.lastIndex());
    }

    @Test
    void newLeaderBacktracksToALaggingFollowersLogEndWithOneRejection() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.isolate("n3");
        for (int i = 0; i < 50; i++) {
            n1.core.propose(data(i));
            n1.drain();
            c.deliver();
        }
        n1.down = true;
        c.heal();
        int before = c.sent.size();
        Node n2 = c.elect("n2"); // starts by probing n3 at its own last index
        c.tickAll(2);

        List<AppendResponse> rejections = c.sent.subList(before, c.sent.size()).stream()
                .filter(AppendResponse.class::isInstance).map(AppendResponse.class::cast)
                .filter(r -> r.from().equals(NodeId.of("n3")) && !r.success()).toList();
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0).hintIndex()).isEqualTo(1);
        assertThat(c.node("n3").core.lastIndex()).isEqualTo(n2.core.lastIndex());
    }

    @Test
    void unacknowledgedAppendIsAFailedSendAndTheFollowerIsProbedAgain() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.tickAll(1);
        NodeId n2 = NodeId.of("n2");
        c.drop = m -> m instanceof AppendRequest && m.to().equals(n2);
        n1.core.propose(data(1));
        n1.drain();
        c.deliver();
        for (int i = 0; i < TestCluster.SEND; i++) {
            c.tickAll(1);
        }

        assertThat(n1.events(CoreEvent.SendFailed.class)).anySatisfy(e -> assertThat(e.peer()).isEqualTo(n2));
        PeerProgress p = n1.core.peerProgress().get(0);
        assertThat(p.peer()).isEqualTo(n2);
        assertThat(p.state()).isEqualTo(ReplicationState.PROBE);
        assertThat(p.healthy()).isFalse();
        assertThat(p.consecutiveSendFailures()).isPositive();

        c.heal();
        c.tickAll(3 * TestCluster.SEND);
        p = n1.core.peerProgress().get(0);
        assertThat(p.matchIndex()).isEqualTo(n1.core.lastIndex());
        assertThat(p.healthy()).isTrue();
        assertThat(p.lastContactTicksAgo()).isLessThanOrEqualTo(1);
    }

    @Test
    void readysMustBeAdvancedInOrder() {
        TestCluster c = new TestCluster(3);
        RaftCore core = c.node("n1").core;
        Ready first = core.ready();
        assertThatThrownBy(() -> core.advance(new Ready(first.sequence() + 1, first.softState(),
                first.hardState(), List.of(), first.installSnapshot(), Ready.NONE, Ready.NONE, List.of(), false,
                List.of(), List.of(), List.of(), List.of(), List.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in order");
        core.advance(first);
    }
}
