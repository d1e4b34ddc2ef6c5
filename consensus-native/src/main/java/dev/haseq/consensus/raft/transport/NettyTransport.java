package dev.haseq.consensus.raft.transport;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * {@link Transport} over TCP with Netty (NIO). Each node listens on its bind address and keeps
 * one outbound connection to every peer; a pair of nodes therefore uses two connections, each
 * carrying one direction of traffic, which avoids any "who dials whom" race.
 *
 * <p><b>Wire protocol.</b> A stream of {@link dev.haseq.api.codec.Envelope} frames (magic,
 * version, type, length, payload, CRC32C). The first frame each way is a {@link Handshake}
 * (protocol version, cluster id, node id); after it the dialler sends {@link Frames#MESSAGE}
 * frames only. A connection that sends garbage, an oversized or corrupt frame, anything before
 * the handshake, or a handshake from a stranger or another cluster is closed and counted by
 * {@link CloseReason}; the node carries on.
 *
 * <p><b>Mutual TLS</b> ({@code raft.tls.*}, later) slots in as the first handler of both
 * pipelines ({@link #inboundInitializer} and {@link #outboundInitializer}:
 * {@code pipeline.addFirst(sslContext.newHandler(ch.alloc()))}), so the frames and handshake
 * above it stay exactly the same; the acceptor then also checks the handshake's node id against
 * the client certificate.
 *
 * <p><b>Latency.</b> {@code TCP_NODELAY}; sends are batched into one write+flush per event-loop
 * turn per peer ({@link PeerLink}); inbound payloads are handed to the {@link MessageHandler} on
 * the I/O thread without another hop, followed by {@link MessageHandler#onReadComplete} once per read.
 */
public final class NettyTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());

    private final TransportConfig config;
    private final MessageHandler handler;
    private final TransportCounters counters;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<NodeId, AtomicLong> lastContactMillis = new LinkedHashMap<>();
    private final Map<NodeId, PeerLink> links = new LinkedHashMap<>();
    private final Map<NodeId, Channel> inbound = new ConcurrentHashMap<>();
    private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private EventLoopGroup group;
    private Channel server;
    private volatile HostPort localAddress;
    private volatile boolean started;
    private volatile boolean closing;

    /**
     * @param handler  receives payloads (on an I/O thread)
     * @param listener metric hooks (also fed into {@link #counters()})
     * @param clock    for last-contact times
     * @param random   for reconnect jitter
     */
    public NettyTransport(TransportConfig config, MessageHandler handler, TransportListener listener, Clock clock,
                          RandomGenerator random) {
        this.config = config;
        this.handler = handler;
        this.counters = new TransportCounters(config.peers().stream().map(PeerAddress::id).toList(), listener);
        this.clock = clock;
        this.random = random;
        for (PeerAddress p : config.peers()) {
            lastContactMillis.put(p.id(), new AtomicLong(-1));
        }
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("transport of " + config.self() + " already started");
            }
            started = true;
            group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                    new DefaultThreadFactory("raft-io-" + config.self(), true), NioIoHandler.newFactory());
            WriteBufferWaterMark waterMark = new WriteBufferWaterMark(256 << 10, 1 << 20);
            ServerBootstrap sb = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                    .childHandler(inboundInitializer());
            HostPort bind = config.bindAddress();
            try {
                server = sb.bind(new InetSocketAddress(bind.host(), bind.port())).syncUninterruptibly().channel();
            } catch (Exception e) {
                shutdownGroup();
                throw new TransportException("cannot listen for Raft traffic on raft_addr " + bind + ": " + e
                        + " (is another process using the port, or is the address not local?)", e);
            }
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            localAddress = new HostPort(bind.host(), bound.getPort());
            Bootstrap template = new Bootstrap().channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            Math.max(1, config.connectTimeout().toMillis())));
            for (PeerAddress p : config.peers()) {
                links.put(p.id(), new PeerLink(p, this, group.next(), template, random));
            }
            links.values().forEach(PeerLink::start);
            LOG.log(System.Logger.Level.INFO, "{0}: Raft transport listening on {1}, cluster {2}, peers {3}",
                    config.self(), localAddress, config.clusterId(), config.peers());
        }
    }

    @Override
    public HostPort localAddress() {
        HostPort a = localAddress;
        if (a == null) {
            throw new IllegalStateException("transport of " + config.self() + " is not started");
        }
        return a;
    }

    @Override
    public void send(NodeId to, byte[] payload) {
        if (payload.length > config.maxPayloadBytes()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes for " + to
                    + " exceeds the transport's limit of " + config.maxPayloadBytes()
                    + " bytes: split it (smaller append batches / snapshot chunks)");
        }
        PeerLink link = links.get(to);
        if (link == null) {
            if (!config.isPeer(to)) {
                throw new IllegalArgumentException(to + " is not a peer of " + config.self() + "; peers: "
                        + config.peers());
            }
            counters.sendFailed(to, SendFailure.CLOSED); // not started yet
            return;
        }
        if (closing) {
            counters.sendFailed(to, SendFailure.CLOSED);
            return;
        }
        link.send(payload);
    }

    @Override
    public int maxPayloadBytes() {
        return config.maxPayloadBytes();
    }

    @Override
    public PeerLinkStatus status(NodeId peer) {
        AtomicLong contact = lastContactMillis.get(peer);
        if (contact == null) {
            throw new IllegalArgumentException(peer + " is not a peer of " + config.self());
        }
        long ms = contact.get();
        PeerLink link = links.get(peer);
        return new PeerLinkStatus(peer, link != null && link.isConnected(),
                ms < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms)),
                link == null ? 0 : link.queued(), link == null ? 0 : link.dropped());
    }

    @Override
    public List<PeerLinkStatus> statuses() {
        return config.peers().stream().map(p -> status(p.id())).toList();
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    TransportConfig config() {
        return config;
    }

    boolean isClosing() {
        return closing;
    }

    void touch(NodeId peer) {
        lastContactMillis.get(peer).set(clock.millis());
    }

    /** On an I/O thread: a message from {@code peer}. */
    void delivered(NodeId peer, byte[] payload) {
        touch(peer);
        counters.frameReceived(peer, Frames.frameBytes(payload.length));
        handler.onMessage(peer, payload);
    }

    /** On an I/O thread: a read that may have delivered messages is done. */
    void readComplete() {
        handler.onReadComplete();
    }

    /** On an I/O thread: {@code peer} completed a handshake on {@code ch}; an older inbound connection from it goes. */
    void inboundEstablished(NodeId peer, Channel ch) {
        touch(peer);
        counters.connected(peer, true);
        Channel old = inbound.put(peer, ch);
        if (old != null && old != ch) {
            old.eventLoop().execute(() -> {
                InboundConnection h = old.pipeline().get(InboundConnection.class);
                if (h != null) {
                    h.close(old.pipeline().context(h), CloseReason.SUPERSEDED, "a newer connection from " + peer);
                }
            });
        }
    }

    void inboundClosed(NodeId peer, Channel ch) {
        accepted.remove(ch);
        if (peer != null) {
            inbound.remove(peer, ch);
        }
    }

    ChannelInitializer<SocketChannel> inboundInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (closing) {
                    ch.close();
                    return;
                }
                accepted.add(ch);
                // Mutual TLS: ch.pipeline().addLast(sslContext.newHandler(ch.alloc())) goes here, first.
                ch.pipeline().addLast(new FrameDecoder(config.maxPayloadBytes()), new InboundConnection(NettyTransport.this));
            }
        };
    }

    ChannelInitializer<SocketChannel> outboundInitializer(PeerLink link) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // Mutual TLS: ch.pipeline().addLast(sslContext.newHandler(ch.alloc(), host, port)) goes here, first.
                ch.pipeline().addLast(new FrameDecoder(config.maxPayloadBytes()),
                        new OutboundConnection(NettyTransport.this, link));
            }
        };
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
            if (group == null) {
                return;
            }
            if (server != null) {
                server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
            links.values().forEach(PeerLink::close);
            for (Channel ch : accepted) {
                ch.close();
            }
            shutdownGroup();
        }
    }

    private void shutdownGroup() {
        // Quiet period 0: pending closes and their close callbacks still run before the loop ends.
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
