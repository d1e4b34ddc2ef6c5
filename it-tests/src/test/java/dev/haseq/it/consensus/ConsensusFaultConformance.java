package dev.haseq.it.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.NotLeaderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The {@code ConsensusNode} contract when members fail: an abrupt stop of the leader, a graceful
 * one, a restart, a node that was away past {@code trailing_logs}, a directory started under
 * another node id, and quorum loss in a five-node cluster. A provider's test extends this and
 * implements the hooks of {@link ConsensusSuite}. See {@code docs/consensus-conformance.md}.
 */
public abstract class ConsensusFaultConformance extends ConsensusSuite {

    private static int followerOf(ConsensusCluster c, int leader, int skip) {
        for (int i : c.running()) {
            if (i != leader && skip-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("not enough running followers");
    }

    @Test
    void anAbruptlyStoppedLeaderIsReplacedAndNothingCommittedIsLost() {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        long oldTerm = c.node(leader).term();
        List<Committed> committed = new ArrayList<>(c.commitAllOn(leader, entries("before", 20)));
        List<CompletableFuture<Committed>> inFlight = new ArrayList<>();
        for (String e : entries("in-flight", 10)) {
            inFlight.add(c.propose(leader, e));
        }
        c.crash(leader);
        for (CompletableFuture<Committed> f : inFlight) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                committed.add(f.join()); // completed successfully before the crash: committed
            }
        }

        int next = c.awaitLeader();
        assertThat(next).isNotEqualTo(leader);
        assertThat(c.node(next).term()).isGreaterThan(oldTerm);
        long lastCommitted = committed.stream().mapToLong(Committed::index).max().orElseThrow();
        CompletableFuture<Long> barrier = c.node(next).barrier();
        // Read as the barrier completes (on the completing thread).
        CompletableFuture<List<RecordingStateMachine.Applied>> seen = barrier.thenApply(x -> c.machine(next).state());
        assertThat(c.get(barrier, "barrier on the new leader")).as("covers the new leader's no-op")
                .isGreaterThan(lastCommitted);
        List<RecordingStateMachine.Applied> atBarrier = c.get(seen, "the state at the barrier");
        for (Committed done : committed) {
            assertThat(atBarrier).as("the new leader applied every entry committed before the crash")
                    .anyMatch(a -> a.index() == done.index() && a.result().equals(text(done.result())));
        }

        List<String> after = entries("after", 5);
        c.commitAll(after);
        List<RecordingStateMachine.Applied> state = c.awaitSameState(committed.size() + after.size());
        assertThat(state).extracting(RecordingStateMachine.Applied::entry).startsWith(entries("before", 20)
                .toArray(String[]::new)).endsWith(after.toArray(String[]::new));
    }

    @Test
    void aClusterWhoseMembersAllCrashRestartsWithEveryCommittedEntry() {
        ConsensusCluster c = cluster(3, Map.of(RaftSettings.SNAPSHOT_THRESHOLD, "10", RaftSettings.TRAILING_LOGS, "3"));
        c.startAll();
        int leader = c.awaitLeader();
        List<Committed> committed = c.commitAllOn(leader, entries("d", 30));
        for (int i = 0; i < 3; i++) {
            c.crash(i);
        }

        c.startAll();
        int next = c.awaitLeader();
        CompletableFuture<Long> barrier = c.node(next).barrier();
        CompletableFuture<List<RecordingStateMachine.Applied>> seen = barrier.thenApply(x -> c.machine(next).state());
        c.get(barrier, "barrier after the restart");
        List<RecordingStateMachine.Applied> state = c.get(seen, "the state at the barrier");
        assertThat(state).hasSize(30);
        for (int k = 0; k < 30; k++) {
            assertThat(state.get(k).index()).isEqualTo(committed.get(k).index());
            assertThat(state.get(k).result()).isEqualTo(text(committed.get(k).result()));
        }
        c.commit("after-restart");
        c.awaitSameState(31);
    }

    @Test
    void aGracefulCloseOfTheLeaderHandsOverWithoutWaitingForAFailureToBeDetected() {
        ConsensusCluster c = cluster(3);
        // While a follower restarts, the leader keeps its quorum through the other one alone; on a
        // loaded machine a 100 ms lease can expire in that window and the leader steps down, after
        // which a follower on slowTimings() refuses it a vote for slowDetection(). A patient leader
        // keeps what is measured the same: only the handover can end the leader's term early.
        for (int i = 0; i < 3; i++) {
            c.override(i, patientTimings());
        }
        c.startAll();
        int leader = c.awaitLeader();
        List<String> expected = new ArrayList<>(entries("early", 5));
        c.commitAllOn(leader, expected);
        // The followers come back, one at a time, with timings under which they would not start
        // an election on their own for slowDetection(): only a handover can give them a leader
        // sooner. Each is caught up (so the leader reaches it again) before the next one stops,
        // or the leader would lose its quorum and step down.
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                c.close(i);
                c.override(i, slowTimings());
                c.start(i);
                String rejoined = "rejoined-" + c.id(i);
                c.commitOn(leader, rejoined);
                expected.add(rejoined);
                c.awaitEntries(i, expected);
            }
        }
        assertThat(c.awaitLeader()).isEqualTo(leader);
        c.awaitEntries(expected);

        long start = System.nanoTime();
        c.close(leader);
        int next = c.awaitLeader();
        c.commitOn(next, "after-close");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(next).isNotEqualTo(leader);
        assertThat(took).as("close() to the next commit; without a handover no follower campaigns before "
                + slowDetection()).isLessThan(slowDetection());
        expected.add("after-close");
        c.awaitEntries(expected);
    }

    @Test
    void aStoppedNodeRestartedFromItsDirectoryRejoinsCatchesUpAndCountsForTheQuorum() {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        List<String> expected = new ArrayList<>(entries("one", 10));
        c.commitAllOn(leader, expected);
        int away = followerOf(c, leader, 0);
        c.awaitEntries(away, expected);
        c.crash(away);
        List<String> missed = entries("two", 20);
        c.commitAll(missed);
        expected.addAll(missed);

        c.start(away);
        c.awaitEntries(away, expected);
        assertThat(c.machine(away).appliedHere()).as("the restarted node rebuilt its state machine from its log")
                .isNotEmpty();
        // With the other follower down, commits need the restarted node's vote and acknowledgement.
        int leaderNow = c.awaitLeader();
        int other = c.running().stream().filter(i -> i != away && i != leaderNow).findFirst().orElseThrow();
        c.crash(other);
        c.commit("needs-the-restarted-node");
        expected.add("needs-the-restarted-node");
        c.awaitEntries(expected);
    }

    @Test
    void aNodeAwayPastTrailingLogsComesBackThroughASnapshotWithTheSameState() {
        long trailing = 4;
        ConsensusCluster c = cluster(3, Map.of(RaftSettings.SNAPSHOT_THRESHOLD, "16",
                RaftSettings.TRAILING_LOGS, Long.toString(trailing)));
        c.startAll();
        int leader = c.awaitLeader();
        List<Committed> early = c.commitAllOn(leader, entries("early", 5));
        int away = followerOf(c, leader, 0);
        c.awaitEntries(away, entries("early", 5));
        long awayHas = early.getLast().index();
        c.crash(away);

        List<String> missed = entries("missed", 60);
        c.commitAll(missed);
        c.until("the leader compacted its log past what " + c.id(away) + " has (index " + awayHas + ")", () -> {
            int l = c.awaitLeader();
            return c.node(l).status().snapshotIndex() > awayHas + trailing + 1;
        });

        c.start(away);
        List<RecordingStateMachine.Applied> state = c.awaitSameState(65);
        RecordingStateMachine back = c.machine(away);
        assertThat(back.state()).isEqualTo(state);
        assertThat(c.listener(away).snapshotsInstalled()).as("snapshots installed on " + c.id(away)).isPositive();
        assertThat(back.restores()).isPositive();
        assertThat(state).extracting(RecordingStateMachine.Applied::index)
                .as("some entries reached the returning node only through the snapshot")
                .anyMatch(i -> !back.appliedHere().contains(i));
        assertThat(c.node(away).status().snapshotIndex()).isGreaterThan(awayHas);
        assertThat(c.running().stream().mapToInt(i -> c.listener(i).snapshotsSent()).sum())
                .as("snapshotSent reported by the leader").isPositive();

        c.commit("after-install");
        c.awaitSameState(66);
    }

    @Test
    void aDirectoryStartedUnderAnotherNodeIdIsRefusedWithAMessageNamingBoth() {
        ConsensusCluster c = cluster(1);
        c.start(0);
        c.awaitLeader();
        c.commitOn(0, "kept");
        c.close(0);

        NodeId other = NodeId.of("node-9");
        RecordingStateMachine sm = new RecordingStateMachine(other, c.ledger());
        assertThatThrownBy(() -> {
            ConsensusNode impostor = c.create(0, other, sm, new RecordingListener(other, c.ledger()));
            try {
                impostor.start();
            } finally {
                impostor.close();
            }
        }).as("start with node_id node-9 on node-1's raft_dir").hasMessageContaining(c.id(0).value())
                .hasMessageContaining(other.value());
        assertThat(sm.appliedHere()).isEmpty();

        c.start(0);
        c.awaitLeader();
        c.awaitEntries(0, List.of("kept"));
        c.commitOn(0, "still-works");
    }

    @Test
    void fiveNodesCommitWithTwoDownAndDoNotCommitWithThreeDown() {
        ConsensusCluster c = cluster(5);
        c.startAll();
        int leader = c.awaitLeader();
        c.commitOn(leader, "all-up");
        List<Integer> down = new ArrayList<>();
        down.add(followerOf(c, leader, 0));
        down.add(followerOf(c, leader, 1));
        down.forEach(c::crash);
        c.commit("two-down");
        List<String> expected = new ArrayList<>(List.of("all-up", "two-down"));
        c.awaitEntries(expected);

        int third = followerOf(c, c.awaitLeader(), 0);
        c.crash(third);
        down.add(third);
        // Two of five are up. Whatever they do, nothing commits: every proposal fails with
        // NotLeaderException or stays pending, and no state machine applies one.
        List<CompletableFuture<Committed>> attempts = new ArrayList<>();
        long end = System.nanoTime() + quietWindow().toNanos();
        for (int round = 0; round < 100 && System.nanoTime() < end; round++) {
            for (int i : c.running()) {
                attempts.add(c.propose(i, "no-quorum-" + i + "-" + round));
            }
            pause(Duration.ofMillis(100));
        }
        for (CompletableFuture<Committed> f : attempts) {
            if (f.isDone()) {
                assertThat(f).as("a proposal without a quorum").isCompletedExceptionally();
                assertThat(failureOf(f)).isInstanceOf(NotLeaderException.class);
            }
        }
        for (int i : c.running()) {
            assertThat(c.machine(i).entries()).as(c.id(i) + " applied without a quorum").isEqualTo(expected);
        }

        c.start(down.getFirst());
        c.commit("resumed");
        expected.add("resumed");
        List<RecordingStateMachine.Applied> state = c.awaitSameState(expected.size());
        // A pending no-quorum proposal may legitimately commit once a quorum is back.
        assertThat(state).extracting(RecordingStateMachine.Applied::entry)
                .filteredOn(e -> !e.startsWith("no-quorum-")).isEqualTo(expected);
    }
}
