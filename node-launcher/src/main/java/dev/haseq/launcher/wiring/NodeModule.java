package dev.haseq.launcher.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusContext;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.ConsensusProvider;
import dev.haseq.api.exec.DataAvailability;
import dev.haseq.api.exec.Executor;
import dev.haseq.api.exec.ExecutorProvider;
import dev.haseq.api.storage.BlockStore;
import dev.haseq.api.storage.BlockStoreProvider;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.launcher.config.NodeSettings;
import dev.haseq.node.api.ApiRouter;
import dev.haseq.node.api.HttpApiServer;
import dev.haseq.node.api.HttpApiSettings;
import dev.haseq.node.api.LeaderForwarder;
import dev.haseq.node.api.NodeApi;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.mempool.MempoolSettings;
import dev.haseq.node.metrics.NodeMetrics;
import dev.haseq.node.producer.BlockProducer;
import dev.haseq.node.producer.ProducerSettings;
import dev.haseq.node.sign.KeyFile;
import dev.haseq.node.sign.Signer;
import dev.haseq.node.time.ExecutorScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's parts, built from {@link HaseqConfig} and the selected providers
 * ({@link ProvidersModule}). Building them opens the block store and the executor (both local
 * and quick); nothing listens on a port and consensus does not start until {@link HaseqNode#start()}.
 *
 * <p>On-disk layout: the Raft state under {@code raft.raft_dir} (the consensus provider's, see
 * {@code RaftLayout}); committed blocks under {@code <storage.data_dir>/blocks}; the executor's
 * files under {@code <storage.data_dir>/executor}.
 */
public final class NodeModule extends AbstractModule {
    /** How long {@code POST /tx?wait=commit} waits before answering 504. */
    static final Duration COMMIT_WAIT = Duration.ofSeconds(30);
    /** Retry-After given with 503 answers. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** Most blocks one {@code GET /blocks} answer carries. */
    static final int MAX_BLOCK_RANGE = 100;
    /** Committed transaction hashes the mempool remembers for de-duplication and status. */
    static final int COMMITTED_MEMORY = 100_000;

    private final HaseqConfig config;
    private final Clock clock;

    public NodeModule(HaseqConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    protected void configure() {
        bind(HaseqConfig.class).toInstance(config);
        bind(Clock.class).toInstance(clock);
    }

    /** Storage repairs and skips go to the log and to the per-store counters of /metrics. */
    @Provides
    @Singleton
    StorageEvents storageEvents(HaseqConfig c, NodeMetrics metrics) {
        StoreKinds kinds = new StoreKinds(c.raft().raftDir(), c.storage().blocksDir());
        return new StorageEventSinks(List.of(new LoggingStorageEvents(), metrics.storageEvents(kinds)));
    }

    @Provides
    @Singleton
    NodeId nodeId(HaseqConfig c) {
        return c.raft().nodeId();
    }

    @Provides
    @Singleton
    BlockStore blockStore(BlockStoreProvider provider, HaseqConfig c, StorageEvents events) {
        return provider.open(new StorageContext(c.storage().blocksDir(), c.raft(), events));
    }

    @Provides
    @Singleton
    Executor executor(ExecutorProvider provider, HaseqConfig c) {
        Path dir = c.storage().executorDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the executor directory " + dir + " (storage.data_dir): "
                    + e.getMessage(), e);
        }
        return provider.open(dir, Map.of());
    }

    /** One thread for block production and the mempool's commit-wait timeouts. */
    @Provides
    @Singleton
    ExecutorScheduler scheduler(NodeId id) {
        return new ExecutorScheduler("haseq-producer-" + id);
    }

    @Provides
    @Singleton
    ChainStateMachine chain(BlockStore blocks, Executor executor) {
        return new ChainStateMachine(blocks, executor);
    }

    @Provides
    @Singleton
    Mempool mempool(HaseqConfig c, Executor executor, ExecutorScheduler scheduler) {
        NodeSettings n = c.node();
        MempoolSettings settings = new MempoolSettings(n.mempoolMaxTxs(), n.mempoolMaxBytes(),
                (int) Math.min(Integer.MAX_VALUE, n.maxTxBytes()), COMMITTED_MEMORY);
        return new Mempool(settings, executor::validate, scheduler);
    }

    @Provides
    @Singleton
    NodeMetrics metrics() {
        return new NodeMetrics();
    }

    @Provides
    @Singleton
    Signer signer(HaseqConfig c) {
        Path file = c.node().signerKey();
        if (!Files.exists(file)) {
            throw new IllegalStateException("the sequencer's signing key " + file + " (" + NodeSettings.SIGNER_KEY
                    + ") does not exist: create it with 'haseq init --home " + c.home() + "' on the first node and "
                    + "copy it to the others with 'haseq init --signer-key-from <file>' (every node of a cluster "
                    + "must use the same key)");
        }
        try {
            return new Signer(KeyFile.load(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    ConsensusNode consensus(ConsensusProvider provider, HaseqConfig c, ChainStateMachine chain,
                            LogStoreProvider log, StableStoreProvider stable, SnapshotStoreProvider snapshots,
                            StorageEvents events, NodeMetrics metrics, Clock clk) {
        ConsensusNode node = provider.create(new ConsensusContext(c.raft(), chain, log, stable, snapshots, events,
                metrics, clk));
        node.addListener(new LeadershipLog());
        return node;
    }

    @Provides
    @Singleton
    BlockProducer producer(NodeId id, ConsensusNode consensus, ChainStateMachine chain, Mempool mempool,
                           HaseqConfig c, Clock clk, ExecutorScheduler scheduler, NodeMetrics metrics) {
        NodeSettings n = c.node();
        Duration lazyInterval = n.lazyBlockInterval().compareTo(n.blockTime()) < 0 ? n.blockTime()
                : n.lazyBlockInterval();
        ProducerSettings settings = new ProducerSettings(n.blockTime(), n.maxBlockBytes(), n.lazyMode(), lazyInterval);
        return new BlockProducer(id, consensus, chain, mempool, settings, clk, scheduler, metrics);
    }

    @Provides
    @Singleton
    HttpApiSettings apiSettings(HaseqConfig c) {
        return new HttpApiSettings(c.rpc().address().host(), c.rpc().address().port(),
                (int) Math.min(Integer.MAX_VALUE, c.rpc().maxRequestBytes()), COMMIT_WAIT, RETRY_AFTER,
                MAX_BLOCK_RANGE, c.rpc().peers());
    }

    @Provides
    @Singleton
    LeaderForwarder forwarder(NodeId id) {
        // A forwarded POST /tx?wait=commit waits on the leader: give it the commit wait plus slack.
        return new LeaderForwarder(id, COMMIT_WAIT.plusSeconds(5));
    }

    @Provides
    @Singleton
    NodeApi nodeApi(NodeId id, ConsensusNode consensus, ChainStateMachine chain, Mempool mempool, Signer signer,
                    NodeMetrics metrics, HttpApiSettings settings, LeaderForwarder forwarder) {
        return new NodeApi(id, consensus, chain, mempool, signer, metrics, settings, forwarder);
    }

    @Provides
    @Singleton
    HttpApiServer apiServer(HttpApiSettings settings, NodeApi api) {
        return new HttpApiServer(settings, new ApiRouter(api));
    }

    @Provides
    @Singleton
    MetricsServer metricsServer(HaseqConfig c, NodeMetrics metrics) {
        return new MetricsServer(c.metrics().address(), metrics);
    }

    /** The DA client when {@code da.provider} is set; connected here, closed by {@link HaseqNode}. */
    @Provides
    @Singleton
    Optional<DataAvailability> dataAvailability(SelectedProviders selected, HaseqConfig c) {
        return selected.da().map(p -> p.connect(c.da().address().isEmpty() ? Map.of()
                : Map.of("address", c.da().address())));
    }
}
