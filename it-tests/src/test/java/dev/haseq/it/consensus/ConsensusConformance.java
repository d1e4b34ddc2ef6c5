package dev.haseq.it.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.ConsensusStatus;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.consensus.PeerStatus;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.api.consensus.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@code ConsensusNode} contract on a healthy cluster: who leads, what {@code propose} and
 * {@code barrier} promise, rejected entries, and that a node catching up does not campaign. A
 * provider's test extends this and implements the hooks of {@link ConsensusSuite}; the failure
 * cases are in {@link ConsensusFaultConformance}. See {@code docs/consensus-conformance.md}.
 */
public abstract class ConsensusConformance extends ConsensusSuite {

    @Test
    void providerAndStoresAreFoundByServiceLoaderUnderTheirNames() {
        Backend b = backend();
        assertThat(b.provider().name()).isEqualTo(providerName());
        assertThat(b.logStore().name()).isEqualTo(logStoreName());
        assertThat(b.stableStore().name()).isEqualTo(stableStoreName());
        assertThat(b.snapshotStore().name()).isEqualTo(snapshotStoreName());
    }

    @Test
    void aSingleMemberClusterLeadsCommitsAndRebuildsItsStateFromSnapshotAndLogOnRestart() {
        ConsensusCluster c = cluster(1, Map.of(RaftSettings.SNAPSHOT_THRESHOLD, "5", RaftSettings.TRAILING_LOGS, "2"));
        ConsensusNode n = c.start(0);
        assertThat(c.awaitLeader()).isZero();
        assertThat(n.leader()).contains(c.id(0));
        long last = 0;
        for (String e : entries("solo", 12)) {
            Committed done = c.commitOn(0, e);
            assertThat(done.index()).isGreaterThan(last);
            assertThat(done.term()).isEqualTo(n.term()).isPositive();
            assertThat(text(done.result())).isEqualTo(c.machine(0).find(e).orElseThrow().result());
            last = done.index();
        }
        c.until("the single node took a snapshot (snapshot_threshold 5)", () -> c.listener(0).snapshotsTaken() > 0);
        List<RecordingStateMachine.Applied> before = c.machine(0).state();
        c.close(0);

        c.start(0);
        assertThat(c.machine(0).restores()).as("start() restores the latest snapshot before it returns").isOne();
        c.until("the restarted node re-applied the log after its snapshot", () -> c.machine(0).size() >= before.size());
        assertThat(c.machine(0).state()).isEqualTo(before);
        assertThat(c.machine(0).appliedHere()).as("entries covered by the snapshot are not applied again")
                .hasSizeLessThan(before.size());
        c.awaitLeader();
        assertThat(c.commitOn(0, "after-restart").index()).isGreaterThan(last);
    }

    @Test
    void threeNodesElectExactlyOneLeaderAndApplyTheSameEntriesInProposalOrder() {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        long term = c.node(leader).term();
        for (int i = 0; i < 3; i++) {
            assertThat(c.node(i).isLeader()).as(c.id(i) + " leads").isEqualTo(i == leader);
            assertThat(c.node(i).term()).as(c.id(i) + "'s term").isEqualTo(term);
        }

        List<String> expected = entries("e", 40);
        List<Committed> done = c.commitAllOn(leader, expected);
        for (int k = 1; k < done.size(); k++) {
            assertThat(done.get(k).index()).as("proposals commit in the order propose() was called")
                    .isGreaterThan(done.get(k - 1).index());
        }
        c.awaitEntries(expected);
        List<RecordingStateMachine.Applied> state = c.awaitSameState(expected.size());
        for (int k = 0; k < done.size(); k++) {
            assertThat(state.get(k).index()).isEqualTo(done.get(k).index());
        }
        assertThat(c.ledger().leaders()).containsValue(c.id(leader));
    }

    @Test
    void proposeCompletesAfterCommitAndLocalApplyWithTheEntrysIndexTermAndResult() {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        RecordingStateMachine sm = c.machine(leader);
        long last = 0;
        List<String> expected = entries("p", 10);
        for (String e : expected) {
            CompletableFuture<Committed> f = c.propose(leader, e);
            // Looked up as the future completes: the entry must be applied locally by then.
            CompletableFuture<Optional<RecordingStateMachine.Applied>> seen = f.thenApply(done -> sm.find(e));
            Committed done = c.get(f, "committing " + e);
            assertThat(done.index()).isGreaterThan(last);
            assertThat(done.term()).isEqualTo(c.node(leader).term());
            assertThat(text(done.result())).isEqualTo(e + "#" + (expected.indexOf(e) + 1));
            assertThat(c.get(seen, "the state at completion")).as("'" + e + "' applied locally when propose completed")
                    .hasValueSatisfying(a -> assertThat(a.index()).isEqualTo(done.index()));
            last = done.index();
        }
        List<RecordingStateMachine.Applied> state = c.awaitSameState(expected.size());
        assertThat(state).extracting(RecordingStateMachine.Applied::entry).isEqualTo(expected);

        long lastIndex = last;
        c.until("the leader's status shows the commit and apply", () -> {
            ConsensusStatus s = c.node(leader).status();
            return s.commitIndex() >= lastIndex && s.appliedIndex() >= lastIndex;
        });
        ConsensusStatus s = c.node(leader).status();
        assertThat(s.self()).isEqualTo(c.id(leader));
        assertThat(s.role()).isEqualTo(Role.LEADER);
        assertThat(s.leader()).contains(c.id(leader));
        assertThat(s.lastLogIndex()).isGreaterThanOrEqualTo(lastIndex);
        assertThat(s.peers()).extracting(PeerStatus::address).containsExactlyInAnyOrderElementsOf(
                c.running().stream().filter(i -> i != leader).map(c::address).toList());
        c.until("the leader's status shows both followers' match index at " + lastIndex, () -> c.node(leader)
                .status().peers().stream().allMatch(p -> p.matchIndex() >= lastIndex));

        // Without a quorum nothing commits: the proposal must not complete successfully and the
        // leader must not apply it, however long we watch.
        List<Integer> followers = c.running().stream().filter(i -> i != leader).toList();
        followers.forEach(c::crash);
        CompletableFuture<Committed> lonely = c.propose(leader, "lonely");
        long end = System.nanoTime() + quietWindow().toNanos();
        while (System.nanoTime() < end) {
            assertThat(lonely.isDone() && !lonely.isCompletedExceptionally())
                    .as("a proposal completed while both followers were down").isFalse();
            assertThat(sm.find("lonely")).as("applied without a quorum").isEmpty();
            pause(Duration.ofMillis(50));
        }
        // With a follower back it commits, unless leadership was lost meanwhile: then it failed
        // with NotLeaderException (either way the future settles).
        int back = followers.getFirst();
        c.start(back);
        c.until("the proposal made without a quorum settled", lonely::isDone);
        if (lonely.isCompletedExceptionally()) {
            assertThat(failureOf(lonely)).isInstanceOf(NotLeaderException.class);
        } else {
            Committed done = lonely.join();
            assertThat(sm.find("lonely")).hasValueSatisfying(a -> assertThat(a.index()).isEqualTo(done.index()));
        }
    }

    @Test
    void proposalsFromManyThreadsAllCommitOnceAndInEachCallersOrder() throws Exception {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        int threads = 4;
        int each = 25;
        List<Future<List<Committed>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                List<String> mine = entries("t" + t, each);
                results.add(pool.submit(() -> c.commitAllOn(leader, mine)));
            }
        }
        Set<Long> indexes = new HashSet<>();
        for (Future<List<Committed>> r : results) {
            List<Committed> done = r.get();
            for (int k = 1; k < done.size(); k++) {
                assertThat(done.get(k).index()).as("one caller's proposals commit in its call order")
                        .isGreaterThan(done.get(k - 1).index());
            }
            done.forEach(d -> assertThat(indexes.add(d.index())).as("index " + d.index() + " given twice").isTrue());
        }
        List<RecordingStateMachine.Applied> state = c.awaitSameState(threads * each);
        assertThat(state).hasSize(threads * each);
        assertThat(state).extracting(RecordingStateMachine.Applied::index).containsExactlyInAnyOrderElementsOf(indexes);
    }

    @Test
    void aFollowerRefusesLeaderOnlyCallsWithNotLeaderExceptionNamingTheLeader() {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        int follower = (leader + 1) % 3;
        c.commitOn(leader, "first");

        Throwable refused = failureOf(c.propose(follower, "on-a-follower"));
        assertThat(refused).isInstanceOfSatisfying(NotLeaderException.class,
                e -> assertThat(e.leaderHint()).as("the leader hint").contains(c.address(leader)));
        assertThat(failureOf(c.node(follower).barrier())).isInstanceOf(NotLeaderException.class);
        assertThat(c.node(follower).transferLeadership(Optional.empty()))
                .as("transferLeadership on a follower fails").failsWithin(liveness());

        c.commitOn(leader, "second");
        c.awaitEntries(List.of("first", "second"));
        ConsensusStatus s = c.node(follower).status();
        assertThat(s.role()).isEqualTo(Role.FOLLOWER);
        assertThat(s.leader()).contains(c.id(leader));
        assertThat(s.peers()).as("match indexes are the leader's to track").extracting(PeerStatus::matchIndex)
                .containsOnly(0L);
    }

    @Test
    void aBarrierCompletesOnlyOnceEverythingCommittedBeforeItAndTheLeadersNoOpAreApplied() {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        assertThat(c.get(c.node(leader).barrier(), "first barrier")).as("covers the leader's no-op").isPositive();

        List<Committed> done = c.commitAllOn(leader, entries("b", 8));
        long lastCommitted = done.getLast().index();
        CompletableFuture<Long> barrier = c.node(leader).barrier();
        // Read as the barrier completes (on the completing thread).
        CompletableFuture<Integer> appliedAtCompletion = barrier.thenApply(x -> c.machine(leader).size());
        assertThat(c.get(barrier, "barrier")).isGreaterThanOrEqualTo(lastCommitted);
        assertThat(c.get(appliedAtCompletion, "the state at the barrier")).isEqualTo(8);

        // A new leader: its barrier must cover everything committed under the old one, and its own
        // no-op, which comes after all of it.
        int next = (leader + 1) % 3;
        NodeId moved = c.get(c.node(leader).transferLeadership(Optional.of(c.id(next))), "transfer to " + c.id(next));
        assertThat(moved).isEqualTo(c.id(next));
        assertThat(c.awaitLeader()).isEqualTo(next);
        assertThat(failureOf(c.propose(leader, "on-the-old-leader"))).isInstanceOfSatisfying(NotLeaderException.class,
                e -> assertThat(e.leaderHint()).as("the old leader's hint").contains(c.address(next)));
        CompletableFuture<Long> onNew = c.node(next).barrier();
        CompletableFuture<List<String>> atCompletion = onNew.thenApply(x -> c.machine(next).entries());
        assertThat(c.get(onNew, "barrier on the new leader")).isGreaterThan(lastCommitted);
        assertThat(c.get(atCompletion, "the state at the barrier")).isEqualTo(entries("b", 8));
    }

    @Test
    void aRejectedEntryFailsItsProposalAndIsRejectedIdenticallyOnEveryNode() {
        ConsensusCluster c = cluster(3);
        c.startAll();
        int leader = c.awaitLeader();
        CompletableFuture<Committed> a = c.propose(leader, "a");
        CompletableFuture<Committed> bad = c.propose(leader, RecordingStateMachine.REJECT_PREFIX + "-me");
        CompletableFuture<Committed> b = c.propose(leader, "b");

        Throwable why = failureOf(bad);
        assertThat(causes(why)).as("the proposer sees the state machine's RejectedEntryException")
                .anyMatch(t -> t instanceof RejectedEntryException);
        Committed first = c.get(a, "a");
        Committed second = c.get(b, "b");
        assertThat(text(second.result())).as("the rejection left the state unchanged").isEqualTo("b#2");

        c.awaitEntries(List.of("a", "b"));
        c.awaitSameState(2);
        for (int i = 0; i < 3; i++) {
            RecordingStateMachine sm = c.machine(i);
            assertThat(sm.rejections()).as(c.id(i) + "'s rejections").singleElement().satisfies(r -> {
                assertThat(r.entry()).isEqualTo(RecordingStateMachine.REJECT_PREFIX + "-me");
                assertThat(r.index()).isBetween(first.index() + 1, second.index() - 1);
            });
        }
        assertThat(c.machine(1).rejections()).isEqualTo(c.machine(0).rejections())
                .isEqualTo(c.machine(2).rejections());
    }

    @Test
    void aNodeWhoseStateMachineIsCatchingUpNeverCampaigns() {
        ConsensusCluster c = cluster(3);
        c.start(0);
        c.start(1, true);
        c.start(2, true);
        assertThat(c.awaitLeader()).as("only node-1 may campaign").isZero();
        c.commitOn(0, "a");
        c.awaitEntries(List.of("a"));

        c.crash(0);
        Duration window = quietWindow();
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            assertThat(c.node(1).isLeader() || c.node(2).isLeader()).as("a catching-up node leads").isFalse();
            pause(Duration.ofMillis(50));
        }
        assertThat(c.listener(1).leaderClaims() + c.listener(2).leaderClaims()).isZero();

        c.machine(1).catchingUp(false);
        assertThat(c.awaitLeader()).as("node-2 campaigns once it has caught up").isEqualTo(1);
        c.commitOn(1, "b");
        c.awaitEntries(List.of("a", "b"));
    }
}
