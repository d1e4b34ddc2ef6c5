package dev.haseq.node.producer;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.NodeId;
import dev.haseq.api.Tx;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusListener;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.node.chain.ChainHead;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.chain.NodeEntry;
import dev.haseq.node.chain.NodeEntryCodec;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.time.ClockNanos;
import dev.haseq.node.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds and proposes blocks while this node leads (ARCHITECTURE "Data flow", step 2).
 *
 * <p>On becoming leader it first waits for {@link ConsensusNode#barrier()} (everything committed
 * is applied, so the head is the committed head), then every {@code blockTime} drains the mempool
 * up to {@code maxBlockBytes} and proposes block {@code head + 1} (previous hash = head hash,
 * timestamp = max(now, head + 1 ns), state root = the head's root, proposer = this node). At most
 * one block is in flight: the next is built after the previous one committed and was applied.
 * In lazy mode a block is built only when transactions wait, or when {@code lazyMaxInterval}
 * passed since the last one (an empty block).
 *
 * <p>Losing leadership stops production at once: the session's epoch changes (on the consensus
 * thread, so a tick already queued does nothing), the in-flight block is abandoned and its
 * transactions go back to the mempool (those committed meanwhile are removed by the chain). The
 * node goes on as a follower. A proposal the state machine rejects (e.g. the head moved) gives its
 * transactions back and the next tick retries.
 *
 * <p>Threads: all production logic runs on the given {@link Scheduler} (one task at a time);
 * {@link #leaderChanged} only bumps the epoch and posts a task, as {@link ConsensusListener} requires.
 */
public final class BlockProducer implements ConsensusListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BlockProducer.class.getName());

    private final NodeId self;
    private final ConsensusNode consensus;
    private final ChainStateMachine chain;
    private final Mempool mempool;
    private final ProducerSettings settings;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ProductionListener listener;
    private final AtomicLong epoch = new AtomicLong();

    // Touched only on the scheduler thread.
    private Scheduler.Cancellable nextTick;
    private InFlight inFlight;
    private long lastBlockNanos;
    private volatile boolean producing;
    private volatile boolean closed;

    private record InFlight(long epoch, long height, List<Tx> txs, long startNanos) {
    }

    public BlockProducer(NodeId self, ConsensusNode consensus, ChainStateMachine chain, Mempool mempool,
                         ProducerSettings settings, Clock clock, Scheduler scheduler, ProductionListener listener) {
        this.self = self;
        this.consensus = consensus;
        this.chain = chain;
        this.mempool = mempool;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /** Listens for leadership; if this node already leads, starts producing (after the barrier). */
    public void start() {
        consensus.addListener(this);
        if (consensus.isLeader()) {
            leaderChanged(consensus.term(), Optional.of(self), true);
        }
    }

    /** True while a leadership session is producing (after its barrier). For status and tests. */
    public boolean isProducing() {
        return producing;
    }

    @Override
    public void leaderChanged(long term, Optional<NodeId> leader, boolean isSelf) {
        if (closed) {
            return;
        }
        long e = epoch.incrementAndGet();
        scheduler.execute(() -> onLeadership(e, isSelf));
    }

    private void onLeadership(long e, boolean isSelf) {
        if (e != epoch.get()) {
            return;
        }
        stopSession();
        if (isSelf) {
            awaitBarrier(e);
        }
    }

    private void stopSession() {
        producing = false;
        if (nextTick != null) {
            nextTick.cancel();
            nextTick = null;
        }
        if (inFlight != null) {
            // Discard the uncommitted block; if it commits after all, the chain removes its txs again.
            mempool.giveBack(inFlight.txs());
            inFlight = null;
        }
    }

    private void awaitBarrier(long e) {
        CompletableFuture<Long> barrier;
        try {
            barrier = consensus.barrier();
        } catch (RuntimeException ex) {
            barrier = CompletableFuture.failedFuture(ex);
        }
        barrier.whenComplete((index, err) -> scheduler.execute(() -> {
            if (e != epoch.get()) {
                return;
            }
            if (err != null) {
                LOG.log(System.Logger.Level.DEBUG, "barrier failed, retrying while leader: {0}", err.toString());
                nextTick = scheduler.schedule(() -> {
                    if (e == epoch.get() && consensus.isLeader()) {
                        awaitBarrier(e);
                    }
                }, settings.blockTime());
                return;
            }
            producing = true;
            // Lazy mode measures the interval from the last block; before the first block, from now.
            long headTs = chain.head().timestampNanos();
            lastBlockNanos = chain.head().height() > 0 ? headTs : ClockNanos.now(clock);
            scheduleTick(e, Duration.ZERO);
        }));
    }

    private void scheduleTick(long e, Duration delay) {
        nextTick = scheduler.schedule(() -> tick(e), delay);
    }

    private void tick(long e) {
        if (e != epoch.get() || inFlight != null) {
            return;
        }
        if (!consensus.isLeader()) {
            return; // the leaderChanged event that follows stops the session
        }
        long now = ClockNanos.now(clock);
        if (settings.lazyMode() && mempool.pendingCount() == 0
                && now - lastBlockNanos < settings.lazyMaxInterval().toNanos()) {
            scheduleTick(e, settings.blockTime());
            return;
        }
        ChainHead head = chain.head();
        List<Tx> txs = mempool.drain(settings.maxBlockBytes());
        long timestamp = Math.max(now, head.timestampNanos() + 1);
        BlockHeader header = new BlockHeader(head.height() + 1, timestamp, head.hash(), Block.dataHashOf(txs),
                head.stateRoot(), self);
        Block block = new Block(header, txs);
        InFlight rec = new InFlight(e, header.height(), txs, now);
        inFlight = rec;
        listener.blockProposed(header.height(), txs.size());
        CompletableFuture<Committed> f;
        try {
            f = consensus.propose(NodeEntryCodec.encode(new NodeEntry.BlockEntry(block)));
        } catch (RuntimeException ex) {
            f = CompletableFuture.failedFuture(ex);
        }
        f.whenComplete((c, err) -> scheduler.execute(() -> onOutcome(rec, err)));
    }

    private void onOutcome(InFlight rec, Throwable err) {
        if (inFlight != rec) {
            return; // the session that proposed it ended; its txs were given back then
        }
        inFlight = null;
        long now = ClockNanos.now(clock);
        if (err == null) {
            lastBlockNanos = now;
            listener.blockCommitted(rec.height(), Duration.ofNanos(Math.max(0, now - rec.startNanos())));
            long wait = settings.blockTime().toNanos() - (now - rec.startNanos());
            scheduleTick(rec.epoch(), Duration.ofNanos(Math.max(0, wait)));
        } else {
            mempool.giveBack(rec.txs());
            listener.proposalFailed(rec.height(), err);
            LOG.log(System.Logger.Level.DEBUG, "block {0} not committed: {1}", rec.height(), err.toString());
            if (rec.epoch() == epoch.get()) {
                scheduleTick(rec.epoch(), settings.blockTime());
            }
        }
    }

    /** Stops producing; the listener registration stays (consensus is closed separately). */
    @Override
    public void close() {
        closed = true;
        long e = epoch.incrementAndGet();
        scheduler.execute(() -> {
            if (e == epoch.get()) {
                stopSession();
            }
        });
    }
}
