package dev.haseq.node.mempool;

import static dev.haseq.node.testing.Blocks.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.Hash;
import dev.haseq.api.Tx;
import dev.haseq.api.testing.ManualClock;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.exec.KvExecutor;
import dev.haseq.node.mempool.AddResult.Outcome;
import dev.haseq.node.testing.Blocks;
import dev.haseq.node.testing.InMemoryBlockStore;
import dev.haseq.node.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MempoolTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final KvExecutor executor = new KvExecutor();
    private final ChainStateMachine chain = new ChainStateMachine(new InMemoryBlockStore(), executor);
    private long index;

    private Mempool pool(int maxTxs, long maxBytes, int maxTx) {
        Mempool m = new Mempool(new MempoolSettings(maxTxs, maxBytes, maxTx, 1000), executor::validate, scheduler);
        chain.addListener(m);
        return m;
    }

    private void commit(Tx... txs) throws Exception {
        chain.apply(++index, Blocks.entry(Blocks.next(chain.head(), txs)));
    }

    @Test
    void acceptsValidTransactionsAndDeduplicatesByHash() {
        Mempool m = pool(10, 1000, 100);
        Tx a = set("a", "1");
        assertThat(m.add(a).outcome()).isEqualTo(Outcome.ACCEPTED);
        AddResult dup = m.add(set("a", "1"));
        assertThat(dup.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(dup.hash()).isEqualTo(a.hash());
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.bytes()).isEqualTo(a.size());
        assertThat(m.status(a.hash())).isEqualTo(new TxStatus.Pending());
    }

    @Test
    void refusesInvalidAndOversizedTransactions() {
        Mempool m = pool(10, 1000, 10);
        AddResult invalid = m.add(new Tx("hello".getBytes()));
        assertThat(invalid.outcome()).isEqualTo(Outcome.INVALID);
        assertThat(invalid.detail()).contains("set");
        AddResult big = m.add(set("k", "0123456789"));
        assertThat(big.outcome()).isEqualTo(Outcome.TOO_LARGE);
        assertThat(big.detail()).contains("10 bytes");
        assertThat(m.size()).isZero();
    }

    @Test
    void isBoundedByCountAndByBytesAndSaysFull() {
        Mempool byCount = pool(2, 1000, 100);
        assertThat(byCount.add(set("a", "1")).outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(byCount.add(set("b", "1")).outcome()).isEqualTo(Outcome.ACCEPTED);
        AddResult full = byCount.add(set("c", "1"));
        assertThat(full.outcome()).isEqualTo(Outcome.FULL);
        assertThat(full.detail()).contains("2 of 2");

        Mempool byBytes = pool(100, 20, 20);
        assertThat(byBytes.add(set("a", "12345")).outcome()).isEqualTo(Outcome.ACCEPTED); // 11 bytes
        assertThat(byBytes.add(set("b", "12345")).outcome()).isEqualTo(Outcome.FULL);
        assertThat(byBytes.add(set("b", "1")).outcome()).isEqualTo(Outcome.ACCEPTED); // 7 bytes: 18 total
    }

    @Test
    void drainsInFifoOrderWithinTheByteLimitWithoutReordering() {
        Mempool m = pool(10, 1000, 100);
        Tx a = set("a", "1"), b = set("b", "1234567890"), c = set("c", "1");
        m.add(a);
        m.add(b);
        m.add(c);
        List<Tx> first = m.drain(a.size() + c.size() + 1);
        assertThat(first).containsExactly(a); // b does not fit, c must not jump ahead of it
        assertThat(m.drain(1000)).containsExactly(b, c);
        assertThat(m.drain(1000)).isEmpty();
        assertThat(m.size()).isEqualTo(3); // all in flight, still counted
    }

    @Test
    void inFlightTransactionsCountAgainstTheBoundsAndGoBackToTheFrontInOrder() {
        Mempool m = pool(3, 1000, 100);
        Tx a = set("a", "1"), b = set("b", "1"), c = set("c", "1"), d = set("d", "1");
        m.add(a);
        m.add(b);
        List<Tx> block = m.drain(1000);
        m.add(c);
        assertThat(m.add(d).outcome()).isEqualTo(Outcome.FULL);
        assertThat(m.add(a).outcome()).isEqualTo(Outcome.DUPLICATE); // in flight is still known
        m.giveBack(block);
        assertThat(m.drain(1000)).containsExactly(a, b, c);
    }

    @Test
    void committedTransactionsAreRemovedFreeSpaceAndAreRememberedWithTheirHeight() throws Exception {
        Mempool m = pool(2, 1000, 100);
        Tx a = set("a", "1"), b = set("b", "1");
        m.add(a);
        m.add(b);
        List<Tx> block = m.drain(1000);
        commit(a);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.status(a.hash())).isEqualTo(new TxStatus.Committed(1));
        m.giveBack(block); // a was committed: only b returns
        assertThat(m.drain(1000)).containsExactly(b);
        AddResult again = m.add(a);
        assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.committedHeight()).hasValue(1);
        assertThat(m.add(set("c", "1")).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void pendingTransactionsCommittedByAnotherLeaderAreRemovedOnEveryNode() throws Exception {
        Mempool m = pool(10, 1000, 100);
        Tx a = set("a", "1");
        m.add(a);
        commit(a, set("z", "9"));
        assertThat(m.size()).isZero();
        assertThat(m.bytes()).isZero();
    }

    @Test
    void commitWaitersCompleteWithTheHeight() throws Exception {
        Mempool m = pool(10, 1000, 100);
        Tx a = set("a", "1");
        m.add(a);
        CompletableFuture<Long> w1 = m.awaitCommit(a.hash(), Duration.ofSeconds(5));
        CompletableFuture<Long> w2 = m.awaitCommit(a.hash(), Duration.ofSeconds(5));
        commit(set("other", "1"));
        assertThat(w1).isNotDone();
        commit(a);
        assertThat(w1).isCompletedWithValue(2L);
        assertThat(w2).isCompletedWithValue(2L);
        assertThat(m.awaitCommit(a.hash(), Duration.ofSeconds(5))).isCompletedWithValue(2L);
        assertThat(m.waiterCount()).isZero();
    }

    @Test
    void commitWaitersTimeOutAndAreForgotten() {
        Mempool m = pool(10, 1000, 100);
        Hash h = set("a", "1").hash();
        CompletableFuture<Long> w = m.awaitCommit(h, Duration.ofSeconds(2));
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(w).isNotDone();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(w).isCompletedExceptionally();
        assertThat(w.exceptionNow()).isInstanceOf(TimeoutException.class);
        assertThat(m.waiterCount()).isZero();
    }

    @Test
    void unknownTransactionsAreUnknown() {
        assertThat(pool(1, 100, 10).status(Hash.ZERO)).isEqualTo(new TxStatus.Unknown());
    }
}
