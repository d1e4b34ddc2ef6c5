package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.Message.PreVoteRequest;
import dev.haseq.consensus.raft.core.Message.PreVoteResponse;
import dev.haseq.consensus.raft.core.Message.VoteRequest;
import dev.haseq.consensus.raft.core.Message.VoteResponse;
import dev.haseq.consensus.raft.core.TestCluster.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElectionTest {

    @Test
    void followerRunsPreVoteBeforeRaisingItsTermAndWins() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");

        assertThat(n1.core.term()).isEqualTo(1);
        List<Message> fromN1 = c.sent.stream().filter(m -> m.from().equals(n1.id)).toList();
        assertThat(fromN1.get(0)).isInstanceOf(PreVoteRequest.class);
        assertThat(fromN1.get(0).term()).isEqualTo(1);
        assertThat(fromN1.stream().filter(VoteRequest.class::isInstance).findFirst()).get()
                .extracting(Message::term).isEqualTo(1L);
        c.tickAll(2);
        for (Node n : c.nodes.values()) {
            assertThat(n.core.leader()).contains(n1.id);
            assertThat(n.core.term()).isEqualTo(1);
        }
    }

    @Test
    void followerWithLiveLeaderRefusesPreVote() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        NodeId n3 = NodeId.of("n3");
        // n3 stops hearing the leader, but n2 still does.
        c.drop = m -> (m.from().equals(n1.id) && m.to().equals(n3)) || (m.from().equals(n3) && m.to().equals(n1.id));
        int before = c.sent.size();

        c.tickAll(5 * TestCluster.ELECTION);

        List<Message> after = c.sent.subList(before, c.sent.size());
        assertThat(after).filteredOn(PreVoteRequest.class::isInstance).filteredOn(m -> m.from().equals(n3)).isNotEmpty();
        assertThat(after).filteredOn(PreVoteResponse.class::isInstance)
                .allSatisfy(m -> assertThat(((PreVoteResponse) m).granted()).isFalse());
        assertThat(c.node("n3").core.term()).as("pre-vote never raised the isolated node's term").isEqualTo(1);
        assertThat(n1.isLeader()).isTrue();
        assertThat(n1.core.term()).isEqualTo(1);

        c.heal();
        c.tickAll(3);
        assertThat(c.node("n3").core.leader()).contains(n1.id);
    }

    @Test
    void leaderStepsDownWhenQuorumHeartbeatsAreLost() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.isolate("n1");

        n1.tick(TestCluster.LEASE - 1);
        assertThat(n1.isLeader()).as("still within the lease timeout").isTrue();
        n1.tick(1);

        assertThat(n1.core.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n1.core.term()).as("stepping down does not change the term").isEqualTo(1);
        assertThat(n1.core.leader()).isEmpty();
    }

    @Test
    void leaseExpiresOneLeaseTimeoutAfterTheLastAcknowledgedHeartbeatWasSent() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        assertThat(n1.core.hasValidLease()).as("no heartbeat acknowledged yet").isFalse();
        c.tickAll(1);
        assertThat(n1.core.hasValidLease()).isTrue();

        c.isolate("n1");
        n1.tick(TestCluster.LEASE - 1);
        assertThat(n1.core.hasValidLease()).isTrue();
        n1.tick(1);
        assertThat(n1.core.hasValidLease()).isFalse();
    }

    @Test
    void deposedLeaderStepsDownWhenAFollowerAnswersWithAHigherTerm() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.isolate("n1");
        c.node("n1").down = true; // frozen: keeps believing it leads
        Node n2 = c.elect("n2");
        assertThat(n2.core.term()).isEqualTo(2);
        c.node("n1").down = false;
        c.heal();

        n1.tick(1); // its heartbeat reaches a node in term 2
        c.deliver();

        assertThat(n1.core.role()).isEqualTo(Role.FOLLOWER);
        assertThat(n1.core.term()).isEqualTo(2);
        assertThat(c.sent).filteredOn(AppendResponse.class::isInstance).filteredOn(m -> m.to().equals(n1.id))
                .anySatisfy(m -> assertThat(m.term()).isEqualTo(2));
    }

    @Test
    void nodeWithAStaleLogCannotWinAnElection() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.elect("n1");
        c.isolate("n3");
        for (int i = 0; i < 5; i++) {
            n1.core.propose(new byte[] {(byte) i});
        }
        n1.drain();
        c.deliver();
        n1.down = true;
        c.heal();

        Node n2warm = c.node("n2");
        n2warm.core.setCatchingUp(true);
        n2warm.tick(TestCluster.HEARTBEAT); // n2 no longer hears a leader: only the log can make it refuse
        n2warm.core.setCatchingUp(false);
        Node n3 = c.node("n3");
        n3.tick(3 * TestCluster.HEARTBEAT); // n3 campaigns first, with an older log
        c.deliver();
        assertThat(n3.isLeader()).isFalse();
        assertThat(c.sent).filteredOn(PreVoteResponse.class::isInstance).filteredOn(m -> m.to().equals(n3.id))
                .filteredOn(m -> ((PreVoteResponse) m).granted()).isEmpty();

        Node n2 = c.elect("n2");
        assertThat(n2.core.lastIndex()).isEqualTo(7); // two no-ops and five proposals
    }

    @Test
    void catchingUpNodeNeverCampaigns() {
        TestCluster c = new TestCluster(3);
        Node n1 = c.node("n1");
        n1.core.setCatchingUp(true);

        n1.tick(20 * TestCluster.ELECTION);
        assertThat(n1.events(CoreEvent.ElectionStarted.class)).isEmpty();
        assertThat(n1.core.role()).isEqualTo(Role.FOLLOWER);

        n1.core.setCatchingUp(false);
        n1.tick(2 * TestCluster.HEARTBEAT);
        assertThat(n1.events(CoreEvent.ElectionStarted.class)).isNotEmpty();
    }

    @Test
    void freshlyStartedNodeRefusesVotesForOneHeartbeatTimeout() {
        TestCluster c = new TestCluster(3);
        Node n2 = c.node("n2");
        n2.core.step(new VoteRequest(NodeId.of("n1"), n2.id, 1, 0, 0, false));
        n2.drain();
        assertThat(n2.core.term()).as("a vote request in the protection window is ignored").isZero();

        n2.core.setCatchingUp(true);
        n2.tick(TestCluster.HEARTBEAT);
        n2.core.step(new VoteRequest(NodeId.of("n1"), n2.id, 1, 0, 0, false));
        n2.drain();
        assertThat(n2.core.term()).isEqualTo(1);
        assertThat(c.sent).filteredOn(VoteResponse.class::isInstance)
                .anySatisfy(m -> assertThat(((VoteResponse) m).granted()).isTrue());
    }

    @Test
    void votesAreSentOnlyAfterTheVoteIsPersisted() {
        TestCluster c = new TestCluster(3);
        c.elect("n1");
        Node n2 = c.node("n2");
        Ready voted = n2.readies.stream().filter(r -> r.messagesAfterPersist().stream()
                .anyMatch(VoteResponse.class::isInstance)).findFirst().orElseThrow();

        assertThat(voted.hardState()).get().satisfies(h -> {
            assertThat(h.term()).isEqualTo(1);
            assertThat(h.votedFor()).contains(NodeId.of("n1"));
        });
        assertThat(voted.mustSync()).isTrue();
        assertThat(voted.messages()).noneMatch(VoteResponse.class::isInstance);
    }

    @Test
    void grantsAtMostOneVotePerTerm() {
        TestCluster c = new TestCluster(3);
        Node n3 = c.node("n3");
        n3.core.setCatchingUp(true);
        n3.tick(TestCluster.HEARTBEAT);
        n3.core.step(new VoteRequest(NodeId.of("n1"), n3.id, 1, 0, 0, false));
        n3.core.step(new VoteRequest(NodeId.of("n2"), n3.id, 1, 0, 0, false));
        n3.drain();

        List<VoteResponse> answers = c.sent.stream().filter(VoteResponse.class::isInstance)
                .map(VoteResponse.class::cast).toList();
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).granted()).isTrue();
        assertThat(answers.get(1).granted()).isFalse();
    }
}
