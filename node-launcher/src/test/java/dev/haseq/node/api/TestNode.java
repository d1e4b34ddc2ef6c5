package dev.haseq.node.api;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.exec.KvExecutor;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.mempool.MempoolSettings;
import dev.haseq.node.metrics.NodeMetrics;
import dev.haseq.node.producer.BlockProducer;
import dev.haseq.node.producer.ProducerSettings;
import dev.haseq.node.sign.Signer;
import dev.haseq.node.testing.FakeConsensusNode;
import dev.haseq.node.testing.InMemoryBlockStore;
import dev.haseq.node.time.ExecutorScheduler;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A whole node over the in-process fake consensus, serving HTTP on 127.0.0.1 (any free port). */
final class TestNode implements AutoCloseable {
    final NodeId id;
    final KvExecutor executor = new KvExecutor();
    final InMemoryBlockStore store = new InMemoryBlockStore();
    final ChainStateMachine chain = new ChainStateMachine(store, executor);
    final ExecutorScheduler scheduler;
    final Mempool mempool;
    final FakeConsensusNode consensus;
    final NodeMetrics metrics = new NodeMetrics();
    final Signer signer;
    final LeaderForwarder forwarder;
    final HttpApiServer server;
    BlockProducer producer;

    TestNode(String id, MempoolSettings mempoolSettings, Map<NodeId, HostPort> rpcPeers, int maxRequestBytes,
             Duration commitWait, KeyPair keys) throws InterruptedException {
        this.id = NodeId.of(id);
        this.scheduler = new ExecutorScheduler("test-" + id);
        this.mempool = new Mempool(mempoolSettings, executor::validate, scheduler);
        this.consensus = new FakeConsensusNode(this.id, chain);
        chain.addListener(mempool);
        chain.addListener(metrics);
        consensus.addListener(metrics);
        metrics.bindConsensus(consensus::status);
        metrics.bindMempool(mempool);
        this.signer = new Signer(keys);
        HttpApiSettings settings = new HttpApiSettings("127.0.0.1", 0, maxRequestBytes, commitWait,
                Duration.ofSeconds(2), 5, rpcPeers);
        this.forwarder = new LeaderForwarder(this.id, Duration.ofSeconds(10));
        NodeApi api = new NodeApi(this.id, consensus, chain, mempool, signer, metrics, settings, forwarder);
        this.server = new HttpApiServer(settings, new ApiRouter(api));
        server.start();
    }

    void startProducer(Duration blockTime) {
        producer = new BlockProducer(id, consensus, chain, mempool,
                new ProducerSettings(blockTime, 1 << 20, false, Duration.ofSeconds(60)), Clock.systemUTC(), scheduler,
                metrics);
        producer.start();
    }

    HostPort rpc() {
        return new HostPort("127.0.0.1", server.port());
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        server.close();
        forwarder.close();
        scheduler.close();
    }
}
