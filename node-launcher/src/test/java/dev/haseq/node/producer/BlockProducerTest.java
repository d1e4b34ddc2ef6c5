package dev.haseq.node.producer;

import static dev.haseq.node.testing.Blocks.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.Block;
import dev.haseq.api.NodeId;
import dev.haseq.api.Tx;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.testing.ManualClock;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.chain.NodeEntry;
import dev.haseq.node.chain.NodeEntryCodec;
import dev.haseq.node.exec.KvExecutor;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.mempool.MempoolSettings;
import dev.haseq.node.mempool.TxStatus;
import dev.haseq.node.testing.FakeConsensusNode;
import dev.haseq.node.testing.InMemoryBlockStore;
import dev.haseq.node.testing.ManualScheduler;
import dev.haseq.node.time.ClockNanos;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlockProducerTest {
    private static final NodeId SELF = NodeId.of("node-1");
    private static final Duration BLOCK_TIME = Duration.ofMillis(100);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryBlockStore store = new InMemoryBlockStore();
    private final KvExecutor executor = new KvExecutor();
    private final ChainStateMachine chain = new ChainStateMachine(store, executor);
    private final Mempool mempool = new Mempool(new MempoolSettings(100, 10_000, 1000, 1000), executor::validate, scheduler);
    private final FakeConsensusNode consensus = new FakeConsensusNode(SELF, chain);
    private final List<Duration> latencies = new ArrayList<>();
    private final List<Long> failures = new ArrayList<>();

    BlockProducerTest() {
        chain.addListener(mempool);
    }

    private BlockProducer producer(ProducerSettings settings) {
        BlockProducer p = new BlockProducer(SELF, consensus, chain, mempool, settings, clock, scheduler,
                new ProductionListener() {
                    @Override
                    public void blockCommitted(long height, Duration latency) {
                        latencies.add(latency);
                    }

                    @Override
                    public void proposalFailed(long height, Throwable cause) {
                        failures.add(height);
                    }
                });
        p.start();
        return p;
    }

    private BlockProducer producer() {
        return producer(new ProducerSettings(BLOCK_TIME, 1000, false, Duration.ofSeconds(10)));
    }

    private List<Block> committedBlocks() {
        List<Block> out = new ArrayList<>();
        for (LogEntry e : consensus.log()) {
            if (NodeEntryCodec.decode(e.data()) instanceof NodeEntry.BlockEntry b) {
                out.add(b.block());
            }
        }
        return out;
    }

    @Test
    void aFollowerNeverProposes() {
        producer();
        scheduler.advance(Duration.ofSeconds(1), BLOCK_TIME);
        assertThat(consensus.proposals()).isZero();
    }

    @Test
    void aNewLeaderProducesOnlyAfterItsBarrierCompletes() {
        producer();
        consensus.holdBarrier(true);
        consensus.elect();
        scheduler.advance(Duration.ofSeconds(1), BLOCK_TIME);
        assertThat(consensus.proposals()).isZero();
        consensus.releaseBarrier();
        scheduler.runDue();
        assertThat(consensus.proposals()).isEqualTo(1);
        assertThat(chain.head().height()).isEqualTo(1);
    }

    @Test
    void producesLinkedBlocksEveryBlockTimeWithTheMempoolsTransactions() {
        producer();
        consensus.elect();
        Tx a = set("a", "1"), b = set("b", "2");
        mempool.add(a);
        mempool.add(b);
        scheduler.runDue();
        scheduler.advance(BLOCK_TIME.multipliedBy(4), BLOCK_TIME.dividedBy(2));

        List<Block> blocks = committedBlocks();
        assertThat(blocks).hasSize(5);
        assertThat(blocks.get(0).txs()).containsExactly(a, b);
        for (int i = 0; i < blocks.size(); i++) {
            Block blk = blocks.get(i);
            assertThat(blk.height()).isEqualTo(i + 1);
            assertThat(blk.header().proposer()).isEqualTo(SELF);
            assertThat(blk.dataHashMatches()).isTrue();
            if (i > 0) {
                assertThat(blk.header().previousHash()).isEqualTo(blocks.get(i - 1).hash());
                assertThat(blk.header().timestampNanos() - blocks.get(i - 1).header().timestampNanos())
                        .isEqualTo(BLOCK_TIME.toNanos());
            }
        }
        assertThat(blocks.get(1).header().stateRoot()).isEqualTo(chain.head().stateRoot());
        assertThat(mempool.size()).isZero();
        assertThat(latencies).hasSize(5);
    }

    @Test
    void timestampsStayStrictlyIncreasingWhenTheClockDoesNotMove() {
        producer();
        consensus.elect();
        scheduler.runDue();
        long first = chain.head().timestampNanos();
        assertThat(first).isEqualTo(ClockNanos.now(clock));
        clock.set(clock.instant().minusSeconds(5)); // wall clock steps back
        scheduler.advance(BLOCK_TIME);
        scheduler.advance(BLOCK_TIME);
        List<Block> blocks = committedBlocks();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i).header().timestampNanos()).isGreaterThan(blocks.get(i - 1).header().timestampNanos());
        }
    }

    @Test
    void aBlockTakesTransactionsOnlyUpToMaxBlockBytes() {
        producer(new ProducerSettings(BLOCK_TIME, 20, false, Duration.ofSeconds(10)));
        Tx a = set("a", "12345"), b = set("b", "12345"), c = set("c", "1"); // 11, 11, 7 bytes
        mempool.add(a);
        mempool.add(b);
        mempool.add(c);
        consensus.elect();
        scheduler.runDue();
        scheduler.advance(BLOCK_TIME);
        List<Block> blocks = committedBlocks();
        assertThat(blocks.get(0).txs()).containsExactly(a);
        assertThat(blocks.get(1).txs()).containsExactly(b, c);
    }

    @Test
    void waitsForTheCommitOfOneBlockBeforeBuildingTheNext() {
        consensus.autoCommit(false);
        producer();
        consensus.elect();
        scheduler.runDue();
        scheduler.advance(BLOCK_TIME.multipliedBy(10), BLOCK_TIME);
        assertThat(consensus.proposals()).isEqualTo(1);
        assertThat(consensus.commitNext()).isTrue();
        scheduler.runDue(); // already late: the next block is built at once
        assertThat(consensus.proposals()).isEqualTo(2);
        assertThat(consensus.pendingCount()).isEqualTo(1);
    }

    @Test
    void losingLeadershipStopsProductionAtOnceAndReturnsTheInFlightTransactions() {
        consensus.autoCommit(false);
        BlockProducer p = producer();
        consensus.elect();
        Tx a = set("a", "1"), b = set("b", "1");
        mempool.add(a);
        mempool.add(b);
        scheduler.runDue();
        assertThat(consensus.pendingCount()).isEqualTo(1);
        assertThat(mempool.pendingCount()).isZero();

        consensus.stepDown(Optional.of(NodeId.of("node-2")));
        scheduler.runDue();
        assertThat(p.isProducing()).isFalse();
        assertThat(mempool.pendingCount()).isEqualTo(2);
        assertThat(mempool.drain(1000)).containsExactly(a, b);
        mempool.giveBack(List.of(a, b));

        int before = consensus.proposals();
        scheduler.advance(Duration.ofSeconds(2), BLOCK_TIME);
        assertThat(consensus.proposals()).isEqualTo(before);
        assertThat(chain.head().height()).isZero();
    }

    @Test
    void anAbandonedBlockThatCommitsLaterRemovesItsTransactionsFromThePool() {
        consensus.autoCommit(false);
        producer();
        consensus.elect();
        Tx a = set("a", "1");
        mempool.add(a);
        scheduler.runDue();
        consensus.stepDown(Optional.of(NodeId.of("node-2")));
        scheduler.runDue();
        assertThat(mempool.status(a.hash())).isEqualTo(new TxStatus.Pending());

        consensus.commitOrphans(); // the next leader had replicated it
        assertThat(chain.head().height()).isEqualTo(1);
        assertThat(mempool.size()).isZero();
        assertThat(mempool.status(a.hash())).isEqualTo(new TxStatus.Committed(1));
    }

    @Test
    void aRegainedLeadershipResumesAtTheCommittedHeadPlusOne() {
        producer();
        consensus.elect();
        scheduler.runDue();
        scheduler.advance(BLOCK_TIME);
        assertThat(chain.head().height()).isEqualTo(2);
        consensus.stepDown(Optional.of(NodeId.of("node-2")));
        scheduler.runDue();
        // node-2 produced block 3 meanwhile
        Block foreign = dev.haseq.node.testing.Blocks.next(chain.head(), ClockNanos.now(clock) + 50, set("x", "1"));
        consensus.commitForeign(dev.haseq.node.testing.Blocks.entry(foreign));
        consensus.elect();
        scheduler.runDue();
        assertThat(chain.head().height()).isEqualTo(4);
        assertThat(store.get(4).orElseThrow().header().previousHash()).isEqualTo(foreign.hash());
        assertThat(failures).isEmpty();
    }

    @Test
    void aRejectedProposalGivesItsTransactionsBackAndTheNextTickRetries() {
        consensus.autoCommit(false);
        producer();
        consensus.elect();
        Tx a = set("a", "1");
        mempool.add(a);
        scheduler.runDue();
        // another block at height 1 commits first (e.g. left over from an earlier term): ours no longer links
        Block other = dev.haseq.node.testing.Blocks.next(chain.head(), 1, set("o", "1"));
        consensus.commitForeign(dev.haseq.node.testing.Blocks.entry(other));
        consensus.commitNext();
        scheduler.runDue();
        assertThat(failures).containsExactly(1L);
        assertThat(mempool.status(a.hash())).isEqualTo(new TxStatus.Pending());
        consensus.autoCommit(true);
        scheduler.advance(BLOCK_TIME);
        assertThat(chain.head().height()).isEqualTo(2);
        assertThat(store.get(2).orElseThrow().txs()).containsExactly(a);
    }

    @Test
    void lazyModeProducesOnlyWithTransactionsOrAfterTheMaximumInterval() {
        producer(new ProducerSettings(BLOCK_TIME, 1000, true, Duration.ofSeconds(1)));
        consensus.elect();
        scheduler.runDue();
        scheduler.advance(Duration.ofMillis(500), BLOCK_TIME);
        assertThat(chain.head().height()).isZero();

        mempool.add(set("a", "1"));
        scheduler.advance(BLOCK_TIME);
        assertThat(chain.head().height()).isEqualTo(1);
        assertThat(store.get(1).orElseThrow().txs()).hasSize(1);

        scheduler.advance(Duration.ofMillis(900), BLOCK_TIME);
        assertThat(chain.head().height()).isEqualTo(1);
        scheduler.advance(Duration.ofMillis(200), BLOCK_TIME);
        assertThat(chain.head().height()).isEqualTo(2);
        assertThat(store.get(2).orElseThrow().txs()).isEmpty();
    }

    @Test
    void closeStopsProduction() {
        BlockProducer p = producer();
        consensus.elect();
        scheduler.runDue();
        p.close();
        scheduler.runDue();
        long h = chain.head().height();
        scheduler.advance(Duration.ofSeconds(1), BLOCK_TIME);
        consensus.elect();
        scheduler.advance(Duration.ofSeconds(1), BLOCK_TIME);
        assertThat(chain.head().height()).isEqualTo(h);
    }
}
