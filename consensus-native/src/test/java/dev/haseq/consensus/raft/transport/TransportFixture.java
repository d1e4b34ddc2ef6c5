package dev.haseq.consensus.raft.transport;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.testing.FreePorts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/** N transports {@code n1..nN} on 127.0.0.1 with pre-picked ports; members can be stopped and restarted. */
final class TransportFixture implements AutoCloseable {
    final List<NodeId> ids = new ArrayList<>();
    final List<Integer> ports;
    final List<RecordingHandler> handlers = new ArrayList<>();
    final NettyTransport[] transports;
    private final UnaryOperator<TransportConfig> tweak;

    TransportFixture(int n, UnaryOperator<TransportConfig> tweak) {
        this.ports = FreePorts.pick(n);
        this.tweak = tweak;
        this.transports = new NettyTransport[n];
        for (int i = 0; i < n; i++) {
            ids.add(NodeId.of("n" + (i + 1)));
            handlers.add(new RecordingHandler());
        }
    }

    TransportFixture(int n) {
        this(n, c -> c.withReconnect(Duration.ofMillis(10), Duration.ofMillis(200)));
    }

    TransportConfig config(int i) {
        List<PeerAddress> peers = new ArrayList<>();
        for (int j = 0; j < ids.size(); j++) {
            if (j != i) {
                peers.add(new PeerAddress(ids.get(j), new HostPort("127.0.0.1", ports.get(j))));
            }
        }
        return tweak.apply(TransportConfig.of(ids.get(i), new HostPort("127.0.0.1", ports.get(i)), peers));
    }

    NettyTransport start(int i) {
        return start(i, config(i));
    }

    NettyTransport start(int i, TransportConfig config) {
        transports[i] = new NettyTransport(config, handlers.get(i), TransportListener.NONE, Clock.systemUTC(),
                new SplittableRandom(i));
        transports[i].start();
        return transports[i];
    }

    void startAll() {
        for (int i = 0; i < transports.length; i++) {
            start(i);
        }
    }

    void stop(int i) {
        transports[i].close();
    }

    NettyTransport get(int i) {
        return transports[i];
    }

    NodeId id(int i) {
        return ids.get(i);
    }

    void awaitConnected(int from, int to) {
        Await.until(Duration.ofSeconds(10), id(from) + " connected to " + id(to),
                () -> transports[from].status(id(to)).connected());
    }

    void awaitFullMesh() {
        for (int i = 0; i < transports.length; i++) {
            for (int j = 0; j < transports.length; j++) {
                if (i != j) {
                    awaitConnected(i, j);
                }
            }
        }
    }

    @Override
    public void close() {
        for (NettyTransport t : transports) {
            if (t != null) {
                t.close();
            }
        }
    }
}
