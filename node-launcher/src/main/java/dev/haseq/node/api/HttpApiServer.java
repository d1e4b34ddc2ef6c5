package dev.haseq.node.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The node's HTTP API on Netty: one port ({@code rpc.address}), HTTP/1.1 with keep-alive, request
 * bodies bounded by {@link HttpApiSettings#maxRequestBytes()} (413 beyond), request line and
 * headers bounded (414 / 431), idle connections closed. Endpoints: {@link ApiRouter}, docs/api.md.
 */
public final class HttpApiServer implements AutoCloseable {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;

    private final HttpApiSettings settings;
    private final ApiRouter router;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

    public HttpApiServer(HttpApiSettings settings, ApiRouter router) {
        this.settings = settings;
        this.router = router;
    }

    /** Binds the port; returns once the server accepts connections. */
    public synchronized void start() throws InterruptedException {
        if (channel != null) {
            throw new IllegalStateException("HTTP API already started");
        }
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        long idleSeconds = settings.commitWaitTimeout().toSeconds() + 60;
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                                .addLast(new HttpObjectAggregator(settings.maxRequestBytes()))
                                .addLast(new ApiChannelHandler(router));
                    }
                });
        try {
            channel = b.bind(settings.host(), settings.port()).sync().channel();
        } catch (Exception e) { // sync() rethrows the bind's checked exception (e.g. BindException) unchecked
            close();
            throw new IllegalStateException("cannot listen on rpc.address " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public synchronized int port() {
        if (channel == null) {
            throw new IllegalStateException("HTTP API not started");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            channel = null;
        }
        for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
            if (g != null) {
                g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        boss = null;
        workers = null;
    }
}
