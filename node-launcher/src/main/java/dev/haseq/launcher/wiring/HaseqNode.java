package dev.haseq.launcher.wiring;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.ConfigException;
import dev.haseq.api.consensus.ConsensusListener;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.exec.DataAvailability;
import dev.haseq.api.exec.Executor;
import dev.haseq.api.storage.BlockStore;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.node.api.HttpApiServer;
import dev.haseq.node.api.LeaderForwarder;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.metrics.NodeMetrics;
import dev.haseq.node.producer.BlockProducer;
import dev.haseq.node.time.ExecutorScheduler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole node, wired by Guice ({@link NodeModule}, {@link ProvidersModule}) and owning the order in
 * which its parts start and stop.
 *
 * <p>{@link #start()}: consensus (opens the Raft stores, restores the latest snapshot, replays the
 * committed log into the chain, joins the cluster), then block production (aggregators only), the
 * HTTP API and the metrics endpoint.
 *
 * <p>{@link #close()} (SIGTERM): stop producing; close consensus, which first hands leadership to
 * the most up-to-date healthy follower and waits (bounded by two election timeouts) for it to take
 * over; then the API, the scheduler, the executor and the block store. Every store syncs before it
 * acknowledges a write, so a SIGKILL at any point loses nothing that was committed. Idempotent;
 * a failing step is logged and the rest still run.
 *
 * <p>Thread-safety: {@code start} and {@code close} are synchronized; call {@code start} once.
 */
public final class HaseqNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HaseqNode.class);

    private final HaseqConfig config;
    private final NodeId id;
    private final ConsensusNode consensus;
    private final ChainStateMachine chain;
    private final NodeMetrics metrics;
    private final BlockProducer producer;
    private final HttpApiServer api;
    private final MetricsServer metricsServer;
    private final LeaderForwarder forwarder;
    private final ExecutorScheduler scheduler;
    private final BlockStore blocks;
    private final Executor executor;
    private final Optional<DataAvailability> da;
    private boolean started;
    private boolean closed;

    @Inject
    HaseqNode(HaseqConfig config, NodeId id, ConsensusNode consensus, ChainStateMachine chain, Mempool mempool,
              NodeMetrics metrics, BlockProducer producer, HttpApiServer api, MetricsServer metricsServer,
              LeaderForwarder forwarder, ExecutorScheduler scheduler, BlockStore blocks, Executor executor,
              Optional<DataAvailability> da) {
        this.config = config;
        this.id = id;
        this.consensus = consensus;
        this.chain = chain;
        this.metrics = metrics;
        this.producer = producer;
        this.api = api;
        this.metricsServer = metricsServer;
        this.forwarder = forwarder;
        this.scheduler = scheduler;
        this.blocks = blocks;
        this.executor = executor;
        this.da = da;
        // Listeners go on before consensus starts: the replay of the committed log must reach them.
        chain.addListener(mempool);
        chain.addListener(metrics);
        chain.addListener(new BlockLog());
        metrics.bindMempool(mempool);
    }

    /**
     * Builds a node from a validated configuration: selects the providers, then lets Guice build
     * every part. Nothing listens and consensus has not started yet.
     *
     * @throws ConfigException if a configured provider name matches no available provider
     * @throws NodeStartException if a part cannot be built (e.g. the signing key is missing)
     */
    public static HaseqNode create(HaseqConfig config, Clock clock) {
        return create(config, clock, SelectedProviders.select(config));
    }

    /**
     * As {@link #create(HaseqConfig, Clock)}, with providers already selected (e.g. wrapped by a test).
     *
     * @throws NodeStartException if a part cannot be built
     */
    public static HaseqNode create(HaseqConfig config, Clock clock, SelectedProviders selected) {
        try {
            return Guice.createInjector(Stage.PRODUCTION, new ProvidersModule(selected), new NodeModule(config, clock))
                    .getInstance(HaseqNode.class);
        } catch (CreationException e) {
            throw new NodeStartException(explain(e.getErrorMessages()), e);
        } catch (ProvisionException e) {
            throw new NodeStartException(explain(e.getErrorMessages()), e);
        }
    }

    /** The causes of Guice's errors, without Guice's framing: what the operator has to fix. */
    private static String explain(Collection<Message> messages) {
        List<String> lines = new ArrayList<>();
        for (Message m : messages) {
            Throwable cause = m.getCause();
            while (cause != null && cause.getCause() != null && cause.getMessage() != null
                    && cause.getCause().getMessage() != null && cause.getMessage().contains(cause.getCause().getMessage())) {
                cause = cause.getCause();
            }
            lines.add(cause == null ? m.getMessage() : String.valueOf(cause.getMessage()));
        }
        return String.join("\n", lines);
    }

    /** Starts consensus, production, the API and the metrics endpoint, in that order. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("a node starts once");
        }
        started = true;
        LOG.info("starting node {}: raft {} on {} ({} member{}), raft_dir {}, data_dir {}", id,
                config.raft().provider(), config.raft().raftAddr(), config.raft().clusterSize(),
                config.raft().clusterSize() == 1 ? "" : "s", config.raft().raftDir(), config.storage().dataDir());
        for (PeerAddress p : config.raft().peers()) {
            if (!config.rpc().peers().containsKey(p.id())) {
                LOG.warn("rpc.peers has no API address for {}: while it leads, this node answers POST /tx with 503 "
                        + "instead of forwarding", p.id());
            }
        }
        consensus.start();
        metrics.bindConsensus(consensus::status);
        metrics.bindTransport(consensus::transportStats);
        LOG.info("consensus started; the committed log is applied from height {} on", chain.head().height());
        if (config.node().aggregator()) {
            producer.start();
        } else {
            LOG.info("node.aggregator is false: this node never produces blocks");
        }
        try {
            api.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartException("interrupted while starting the HTTP API", e);
        }
        if (config.metrics().enabled()) {
            metricsServer.start();
            LOG.info("metrics on http://{}:{}/metrics", config.metrics().address().host(), metricsServer.port());
        }
        LOG.info("HTTP API listening on http://{}:{}", config.rpc().address().host(), api.port());
    }

    /** The address the HTTP API listens on (after {@link #start()}). */
    public HostPort apiAddress() {
        return new HostPort(config.rpc().address().host(), api.port());
    }

    public NodeId id() {
        return id;
    }

    /**
     * Runs {@code action} (once, on an internal thread) if consensus stops for good after a fatal
     * error ({@link ConsensusListener#failed}): the node then no longer takes part in the cluster,
     * so the process should stop and let its supervisor restart it.
     */
    public void onConsensusFailure(Consumer<Throwable> action) {
        consensus.addListener(new ConsensusListener() {
            @Override
            public void failed(Throwable cause) {
                action.accept(cause);
            }
        });
    }

    /** Graceful stop, in the order the class comment gives. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean leader = started && consensus.isLeader() && !config.raft().peers().isEmpty();
        LOG.info("stopping node {}{}", id, leader ? " (leader: handing leadership over first)" : "");
        step("block producer", producer::close);
        if (started) {
            step("consensus", consensus::close);
        }
        step("HTTP API", api::close);
        step("metrics endpoint", metricsServer::close);
        step("leader forwarder", forwarder::close);
        step("scheduler", scheduler::close);
        step("executor", executor::close);
        step("block store", blocks::close);
        da.ifPresent(d -> step("DA client", d::close));
        LOG.info("node {} stopped at height {}", id, chain.head().height());
    }

    private static void step(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("stopping the {} failed: {}", what, e.toString(), e);
        }
    }
}
