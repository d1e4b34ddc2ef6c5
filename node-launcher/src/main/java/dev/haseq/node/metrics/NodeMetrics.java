package dev.haseq.node.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusListener;
import dev.haseq.api.consensus.ConsensusStatus;
import dev.haseq.api.consensus.PeerStatus;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.consensus.TransportStats;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.node.chain.ChainHead;
import dev.haseq.node.chain.ChainListener;
import dev.haseq.node.chain.CommittedBlock;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.producer.ProductionListener;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's metrics: Dropwizard metrics inside, exported in the Prometheus text format by
 * Prometheus' own Java library ({@link DropwizardExports} + {@link PrometheusTextFormatWriter}).
 * The metrics Dropwizard cannot express are native Prometheus ones: everything with a label
 * (per-peer gauges, the per-peer send and snapshot counters of {@link ReplicationMetrics}, the
 * transport counters of {@link TransportMetrics}, the per-store counters of {@link StorageMetrics})
 * and the block commit latency (a real bucketed histogram).
 *
 * <p>It listens to consensus ({@link ConsensusListener}: the guide's Monitoring signals), the chain
 * ({@link ChainListener}), the producer ({@link ProductionListener}) and the stores
 * ({@link #storageEvents}); point-in-time values (term, role, indexes, lag, peers, transport
 * totals, mempool) are read at scrape time from the suppliers bound with {@link #bindConsensus},
 * {@link #bindTransport} and {@link #bindMempool}. Every name is listed in docs/api.md.
 *
 * <p>Thread-safe.
 */
public final class NodeMetrics implements ConsensusListener, ChainListener, ProductionListener {
    private final MetricRegistry dropwizard = new MetricRegistry();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile Supplier<ConsensusStatus> status;

    private final Counter leaderChanges = dropwizard.counter("haseq.raft.leader_changes");
    private final Counter electionsStarted = dropwizard.counter("haseq.raft.elections_started");
    private final Counter preVotesStarted = dropwizard.counter("haseq.raft.prevotes_started");
    private final Counter snapshotsInstalled = dropwizard.counter("haseq.raft.snapshots_installed");
    private final Counter snapshotsTaken = dropwizard.counter("haseq.raft.snapshots_taken");
    private final Counter blocksProduced = dropwizard.counter("haseq.blocks.produced");
    private final Counter proposalsFailed = dropwizard.counter("haseq.blocks.proposals_failed");
    private final Counter txsCommitted = dropwizard.counter("haseq.txs.committed");
    private final Counter blocksApplied = dropwizard.counter("haseq.blocks.applied");
    private volatile long height;
    private final Histogram commitLatency;
    private final TransportMetrics transport = new TransportMetrics();
    private final StorageMetrics storage;
    private final ReplicationMetrics replication;

    public NodeMetrics() {
        dropwizard.register("haseq.chain.height", new Value(() -> height));
        dropwizard.register("haseq.raft.term", new Value(() -> statusOr(ConsensusStatus::term, 0L)));
        dropwizard.register("haseq.raft.is_leader", new Value(() -> statusOr(s -> s.role() == Role.LEADER ? 1 : 0, 0)));
        dropwizard.register("haseq.raft.commit_index", new Value(() -> statusOr(ConsensusStatus::commitIndex, 0L)));
        dropwizard.register("haseq.raft.applied_index", new Value(() -> statusOr(ConsensusStatus::appliedIndex, 0L)));
        dropwizard.register("haseq.raft.applied_lag", new Value(() -> statusOr(s -> Math.max(0, s.commitIndex() - s.appliedIndex()), 0L)));
        dropwizard.register("haseq.raft.last_log_index", new Value(() -> statusOr(ConsensusStatus::lastLogIndex, 0L)));
        dropwizard.register("haseq.raft.snapshot_index", new Value(() -> statusOr(ConsensusStatus::snapshotIndex, 0L)));
        DropwizardExports.builder().dropwizardRegistry(dropwizard).register(prometheus);

        GaugeWithCallback.builder().name("haseq_raft_peer_last_contact_seconds")
                .help("Time since the last message from each peer (absent: never heard from)")
                .labelNames("peer")
                .callback(cb -> forEachPeer(p -> p.lastContact().ifPresent(d ->
                        cb.call(d.toNanos() / 1e9, p.address().id().value()))))
                .register(prometheus);
        GaugeWithCallback.builder().name("haseq_raft_peer_match_index")
                .help("Highest log index known replicated on each peer (leader only; 0 on followers)")
                .labelNames("peer")
                .callback(cb -> forEachPeer(p -> cb.call(p.matchIndex(), p.address().id().value())))
                .register(prometheus);
        GaugeWithCallback.builder().name("haseq_raft_peer_healthy")
                .help("1 if recent sends to the peer succeed (leader's view)")
                .labelNames("peer")
                .callback(cb -> forEachPeer(p -> cb.call(p.healthy() ? 1 : 0, p.address().id().value())))
                .register(prometheus);
        commitLatency = Histogram.builder().name("haseq_block_commit_latency_seconds")
                .help("Time from proposing a block to its commit and local apply, on the leader")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(prometheus);
        prometheus.register(transport);
        storage = new StorageMetrics(prometheus);
        replication = new ReplicationMetrics(prometheus);
    }

    /** A Dropwizard gauge with a stable type name (the exported HELP text names the type). */
    private record Value(Supplier<Number> read) implements Gauge<Number> {
        @Override
        public Number getValue() {
            return read.get();
        }
    }

    /** Reads term, role, indexes and peers from consensus at scrape time. */
    public void bindConsensus(Supplier<ConsensusStatus> statusSupplier) {
        this.status = statusSupplier;
    }

    /**
     * Reads the consensus provider's transport totals at scrape time
     * ({@code ConsensusNode::transportStats}); while it returns empty, no transport metric is exported.
     */
    public void bindTransport(Supplier<Optional<TransportStats>> stats) {
        transport.bind(stats);
    }

    /**
     * Where the stores report repairs and skips, counted per store; {@code storeOf} tells which
     * store a reported file belongs to. Counts from every returned instance add up.
     */
    public StorageEvents storageEvents(Function<Path, StoreKind> storeOf) {
        return storage.events(storeOf);
    }

    public void bindMempool(Mempool mempool) {
        dropwizard.register("haseq.mempool.size", new Value(mempool::size));
        dropwizard.register("haseq.mempool.bytes", new Value(mempool::bytes));
    }

    private <T> T statusOr(java.util.function.Function<ConsensusStatus, T> f, T otherwise) {
        Supplier<ConsensusStatus> s = status;
        return s == null ? otherwise : f.apply(s.get());
    }

    private void forEachPeer(java.util.function.Consumer<PeerStatus> action) {
        Supplier<ConsensusStatus> s = status;
        if (s != null) {
            s.get().peers().forEach(action);
        }
    }

    /** The Prometheus text exposition (version 0.0.4) of every metric. */
    public byte[] scrape() {
        forEachPeer(p -> replication.knownPeer(p.address().id()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, prometheus.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }

    // ConsensusListener

    @Override
    public void leaderChanged(long term, Optional<NodeId> leader, boolean self) {
        leaderChanges.inc();
    }

    @Override
    public void electionStarted(long term, boolean preVote) {
        (preVote ? preVotesStarted : electionsStarted).inc();
    }

    @Override
    public void snapshotTaken(long index, long term) {
        snapshotsTaken.inc();
    }

    @Override
    public void snapshotInstalled(long index, long term) {
        snapshotsInstalled.inc();
    }

    @Override
    public void snapshotSent(NodeId peer, long index) {
        replication.snapshotSendStarted(peer);
    }

    @Override
    public void snapshotSendFinished(NodeId peer, long index) {
        replication.snapshotSendFinished(peer);
    }

    @Override
    public void snapshotSendFailed(NodeId peer, long index) {
        replication.snapshotSendFailed(peer);
    }

    @Override
    public void snapshotReceiveStarted(long index, long term) {
        replication.snapshotReceiveStarted();
    }

    @Override
    public void snapshotReceiveFailed(long index, long term) {
        replication.snapshotReceiveFailed();
    }

    @Override
    public void sendFailed(NodeId peer) {
        replication.sendFailed(peer);
    }

    // ChainListener

    @Override
    public void blockApplied(long index, CommittedBlock block, ChainHead head) {
        height = head.height();
        blocksApplied.inc();
        txsCommitted.inc(block.block().txs().size());
    }

    @Override
    public void restored(ChainHead head) {
        height = head.height();
    }

    // ProductionListener

    @Override
    public void blockCommitted(long height, Duration latency) {
        blocksProduced.inc();
        commitLatency.observe(latency.toNanos() / 1e9);
    }

    @Override
    public void proposalFailed(long height, Throwable cause) {
        proposalsFailed.inc();
    }
}
