package dev.haseq.it.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.RejectedEntryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The suite's own fixtures: the recording state machine and the ledger must notice what the
 * conformance tests rely on them to notice, or those tests prove nothing.
 */
class RecordingStateMachineTest {
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appliesInOrderAndAnswersADeterministicResult() throws Exception {
        ClusterLedger ledger = new ClusterLedger();
        RecordingStateMachine sm = new RecordingStateMachine(A, ledger);
        assertThat(new String(sm.apply(2, b("x")), StandardCharsets.UTF_8)).isEqualTo("x#1");
        assertThat(new String(sm.apply(5, b("y")), StandardCharsets.UTF_8)).isEqualTo("y#2");
        assertThat(sm.entries()).containsExactly("x", "y");
        assertThat(sm.appliedHere()).containsExactly(2L, 5L);
        assertThat(ledger.violations()).isEmpty();
    }

    @Test
    void anIndexAppliedTwiceOrOutOfOrderIsAViolation() throws Exception {
        ClusterLedger ledger = new ClusterLedger();
        RecordingStateMachine sm = new RecordingStateMachine(A, ledger);
        sm.apply(3, b("x"));
        sm.apply(3, b("x"));
        assertThat(ledger.violations()).anySatisfy(v -> assertThat(v).contains("apply(3", "already applied"));
    }

    @Test
    void aRejectedEntryThrowsAndLeavesTheStateUnchanged() throws Exception {
        ClusterLedger ledger = new ClusterLedger();
        RecordingStateMachine sm = new RecordingStateMachine(A, ledger);
        sm.apply(1, b("x"));
        assertThatThrownBy(() -> sm.apply(2, b(RecordingStateMachine.REJECT_PREFIX + "-1")))
                .isInstanceOf(RejectedEntryException.class);
        assertThat(sm.entries()).containsExactly("x");
        assertThat(sm.rejections()).singleElement().satisfies(r -> assertThat(r.index()).isEqualTo(2));
        assertThat(new String(sm.apply(3, b("y")), StandardCharsets.UTF_8)).isEqualTo("y#2");
    }

    @Test
    void aSnapshotRestoresTheSameStateAndLaterIndexesOnly() throws Exception {
        ClusterLedger ledger = new ClusterLedger();
        RecordingStateMachine one = new RecordingStateMachine(A, ledger);
        one.apply(1, b("x"));
        one.apply(2, b("y"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        one.snapshot(out);

        RecordingStateMachine two = new RecordingStateMachine(B, ledger);
        two.restore(new ByteArrayInputStream(out.toByteArray()));
        assertThat(two.state()).isEqualTo(one.state());
        assertThat(two.appliedHere()).isEmpty();
        assertThat(two.restores()).isOne();
        two.apply(3, b("z"));
        assertThat(ledger.violations()).isEmpty();
        two.apply(2, b("y"));
        assertThat(ledger.violations()).anySatisfy(v -> assertThat(v).contains("apply(2", "already applied"));
    }

    @Test
    void theLedgerFlagsDivergentOutcomesAtOneIndex() throws Exception {
        ClusterLedger ledger = new ClusterLedger();
        new RecordingStateMachine(A, ledger).apply(1, b("x"));
        new RecordingStateMachine(B, ledger).apply(1, b("other"));
        assertThat(ledger.violations()).singleElement().asString().contains("index 1", "node-a", "node-b");

        ClusterLedger second = new ClusterLedger();
        new RecordingStateMachine(A, second).apply(1, b("x"));
        RecordingStateMachine picky = new RecordingStateMachine(B, second, e -> true);
        assertThatThrownBy(() -> picky.apply(1, b("x"))).isInstanceOf(RejectedEntryException.class);
        assertThat(second.violations()).as("applied on one node, rejected on another").hasSize(1);
    }

    @Test
    void theLedgerFlagsTwoLeadersInOneTerm() {
        ClusterLedger ledger = new ClusterLedger();
        new RecordingListener(A, ledger).leaderChanged(4, Optional.of(A), true);
        new RecordingListener(B, ledger).leaderChanged(5, Optional.of(B), true);
        assertThat(ledger.violations()).isEmpty();
        new RecordingListener(B, ledger).leaderChanged(4, Optional.of(B), true);
        assertThat(ledger.violations()).singleElement().asString().contains("term 4");
    }

    @Test
    void overlappingCallsAreAViolation() throws Exception {
        ClusterLedger ledger = new ClusterLedger();
        CountDownLatch inApply = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingStateMachine sm = new RecordingStateMachine(A, ledger, e -> {
            inApply.countDown();
            try {
                return !release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return true;
            }
        });
        Thread applier = Thread.ofPlatform().start(() -> {
            try {
                sm.apply(1, b("x"));
            } catch (RejectedEntryException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(inApply.await(10, TimeUnit.SECONDS)).isTrue();
        Thread snapshotter = Thread.ofPlatform().start(() -> {
            try {
                sm.snapshot(new ByteArrayOutputStream());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // The snapshot call has entered (and flagged the overlap) once it blocks on the lock.
        for (int i = 0; i < 1000 && snapshotter.getState() != Thread.State.BLOCKED; i++) {
            Thread.sleep(5);
        }
        release.countDown();
        applier.join(10_000);
        snapshotter.join(10_000);
        assertThat(ledger.violations()).anySatisfy(v -> assertThat(v).contains("snapshot", "while another"));
    }

    @Test
    void callsFromASecondThreadAreAViolation() throws Exception {
        ClusterLedger ledger = new ClusterLedger();
        RecordingStateMachine sm = new RecordingStateMachine(A, ledger);
        sm.apply(1, b("x"));
        sm.apply(2, b("y"));
        assertThat(ledger.violations()).isEmpty();
        Thread other = Thread.ofPlatform().name("not-the-applier").start(() -> {
            try {
                sm.snapshot(new ByteArrayOutputStream());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        other.join(10_000);
        assertThat(ledger.violations()).singleElement().asString().contains("not-the-applier");
    }
}
