package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What inbound and outbound connections share: the handshake deadline, closing with exactly one
 * counted {@link CloseReason}, and turning decoder failures into closes. Lives on the channel's
 * event loop; not thread-safe.
 */
abstract class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ConnectionHandler.class.getName());

    protected final NettyTransport transport;
    private final boolean inbound;
    private ScheduledFuture<?> handshakeDeadline;
    private CloseReason closeReason;

    ConnectionHandler(NettyTransport transport, boolean inbound) {
        this.transport = transport;
        this.inbound = inbound;
    }

    /** The peer, once known (for an outbound connection: from the start). */
    protected abstract Optional<NodeId> peer();

    protected abstract boolean established();

    protected abstract void onFrame(ChannelHandlerContext ctx, Envelope.Frame frame);

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long nanos = transport.config().handshakeTimeout().toNanos();
        handshakeDeadline = ctx.executor().schedule(() -> {
            if (!established()) {
                close(ctx, CloseReason.HANDSHAKE_TIMEOUT, "no handshake within " + transport.config().handshakeTimeout());
            }
        }, nanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    protected void handshakeDone() {
        if (handshakeDeadline != null) {
            handshakeDeadline.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closeReason != null) {
            return; // closing: ignore whatever was already decoded
        }
        try {
            onFrame(ctx, (Envelope.Frame) msg);
        } catch (FrameException e) {
            close(ctx, e.reason(), e.getMessage());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof FrameException fe) {
            close(ctx, fe.reason(), fe.getMessage());
        } else {
            close(ctx, CloseReason.IO_ERROR, c.toString());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeDeadline != null) {
            handshakeDeadline.cancel(false);
        }
        CloseReason reason = closeReason != null ? closeReason
                : transport.isClosing() ? CloseReason.SHUTDOWN : CloseReason.PEER_CLOSED;
        transport.counters().connectionClosed(peer(), inbound, reason);
        disconnected(ctx);
        ctx.fireChannelInactive();
    }

    /** Called once the channel is closed, after the close was counted. */
    protected abstract void disconnected(ChannelHandlerContext ctx);

    /** Closes the connection for {@code reason} (counted once, when the channel goes inactive). */
    void close(ChannelHandlerContext ctx, CloseReason reason, String detail) {
        if (closeReason != null) {
            return;
        }
        closeReason = transport.isClosing() ? CloseReason.SHUTDOWN : reason;
        log(ctx, closeReason, detail);
        ctx.close();
    }

    /** Marks the close reason and lets a final frame go out before the close. */
    protected void closeAfter(ChannelHandlerContext ctx, CloseReason reason, String detail, ByteBuf last) {
        if (closeReason != null) {
            last.release();
            return;
        }
        closeReason = reason;
        log(ctx, reason, detail);
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    private void log(ChannelHandlerContext ctx, CloseReason reason, String detail) {
        Level level = switch (reason) {
            case SHUTDOWN, SUPERSEDED, PEER_CLOSED -> Level.DEBUG;
            case IO_ERROR, HANDSHAKE_TIMEOUT -> Level.INFO;
            default -> Level.WARNING;
        };
        if (LOG.isLoggable(level)) {
            LOG.log(level, "{0}: closing {1} connection {2} {3}: {4} ({5})", transport.config().self(),
                    inbound ? "inbound" : "outbound", inbound ? "from" : "to",
                    peer().map(NodeId::toString).orElse(String.valueOf(ctx.channel().remoteAddress())),
                    reason, detail);
        }
    }
}
