package dev.haseq.consensus.raft.transport;

import dev.haseq.api.PeerAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * Our outbound side to one peer: one connection, redialled with {@link Backoff} whenever it is
 * lost, and a bounded queue of payloads.
 *
 * <p>Senders only enqueue; the first enqueue after a drain schedules one drain task on the link's
 * event loop, which writes everything queued and flushes once. So a burst of sends costs one
 * thread hop and one syscall, not one per message. Connection state is confined to the event loop
 * (fields read by other threads for status are volatile).
 */
final class PeerLink {
    private final PeerAddress peer;
    private final NettyTransport transport;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Backoff backoff;
    private final int queueLimit;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private final Runnable drainTask = this::drain;
    private final ChannelFutureListener writeFailure;
    private volatile Channel channel;
    private volatile boolean established;
    private volatile boolean closed;

    PeerLink(PeerAddress peer, NettyTransport transport, EventLoop loop, Bootstrap template, RandomGenerator random) {
        this.peer = peer;
        this.transport = transport;
        this.loop = loop;
        TransportConfig config = transport.config();
        this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax(), random);
        this.queueLimit = config.outboundQueueLimit();
        this.bootstrap = template.clone(loop).handler(transport.outboundInitializer(this));
        this.writeFailure = f -> {
            if (!f.isSuccess()) {
                transport.counters().sendFailed(peer.id(), SendFailure.WRITE_FAILED);
            }
        };
    }

    PeerAddress peer() {
        return peer;
    }

    boolean isConnected() {
        return established;
    }

    int queued() {
        return queued.get();
    }

    long dropped() {
        return dropped.sum();
    }

    void start() {
        loop.execute(this::connect);
    }

    /** Thread-safe, non-blocking. */
    void send(byte[] payload) {
        queue.offer(payload);
        if (queued.incrementAndGet() > queueLimit && queue.poll() != null) {
            queued.decrementAndGet();
            dropped.increment();
            transport.counters().sendFailed(peer.id(), SendFailure.QUEUE_OVERFLOW);
        }
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    void drainNow() {
        if (drainScheduled.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        // Reset first: a send racing with this drain either is picked up below or schedules another drain.
        drainScheduled.set(false);
        Channel ch = channel;
        if (ch == null || !established) {
            return;
        }
        int written = 0;
        while (ch.isWritable()) {
            byte[] payload = queue.poll();
            if (payload == null) {
                break;
            }
            queued.decrementAndGet();
            ByteBuf frame = Frames.encode(ch.alloc(), Frames.MESSAGE, payload);
            int bytes = frame.readableBytes();
            ch.write(frame).addListener(writeFailure);
            transport.counters().frameSent(peer.id(), bytes);
            written++;
        }
        if (written > 0) {
            ch.flush();
        }
    }

    private void connect() {
        if (closed || channel != null) {
            return;
        }
        ChannelFuture f = bootstrap.connect(peer.address().toSocketAddress());
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                channel = null;
                if (!closed) {
                    transport.counters().connectFailed(peer.id());
                    scheduleReconnect();
                }
            } else if (closed) {
                f.channel().close();
            }
        });
    }

    /** On the event loop: the peer answered our handshake. */
    void established(Channel ch) {
        if (ch != channel) {
            ch.close();
            return;
        }
        established = true;
        backoff.reset();
        transport.touch(peer.id());
        transport.counters().connected(peer.id(), false);
        drain();
    }

    /** On the event loop: the connection closed (after the close was counted). */
    void disconnected(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        established = false;
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        loop.schedule(this::connect, backoff.next().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops redialling and closes the connection; what is still queued is counted as failed. */
    void close() {
        closed = true;
        loop.execute(() -> {
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            byte[] p;
            while ((p = queue.poll()) != null) {
                queued.decrementAndGet();
                transport.counters().sendFailed(peer.id(), SendFailure.CLOSED);
            }
        });
    }
}
