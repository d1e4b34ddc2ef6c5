package dev.haseq.node.api;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns one aggregated HTTP request into an {@link ApiRequest}, routes it, and writes the answer.
 * Bytes that are not HTTP get 400 (414/431 for an over-long line/headers) and the connection is
 * closed; nothing a client sends can stop the node. One instance per connection, called on its
 * event loop. Routes that wait (commit, forwarding, transfer) complete later; responses are
 * chained so that pipelined requests are answered in request order, as HTTP/1.1 requires.
 */
final class ApiChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(ApiChannelHandler.class.getName());
    private final ApiRouter router;
    /** Completes when the previous response on this connection was handed to Netty. Event loop only. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    ApiChannelHandler(ApiRouter router) {
        this.router = router;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            Throwable c = dr.cause();
            int status = c instanceof TooLongHttpLineException ? 414 : c instanceof TooLongHttpHeaderException ? 431 : 400;
            respond(ctx, CompletableFuture.completedFuture(
                    ApiResponse.error(status, "malformed HTTP request: " + c.getMessage())), false);
            return;
        }
        ApiRequest api;
        try {
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            api = new ApiRequest(req.method().name(), qs.path(), qs.parameters(),
                    Optional.ofNullable(req.headers().get(ApiRequest.FORWARDED_BY)), ByteBufUtil.getBytes(req.content()));
        } catch (IllegalArgumentException e) {
            respond(ctx, CompletableFuture.completedFuture(
                    ApiResponse.error(400, "malformed request URI: " + e.getMessage())), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        CompletableFuture<ApiResponse> f;
        try {
            f = router.route(api);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        respond(ctx, f.handle((r, err) -> {
            if (err == null) {
                return r;
            }
            LOG.log(System.Logger.Level.WARNING, "request " + api.method() + " " + api.path() + " failed", err);
            return ApiResponse.error(500, "internal error: " + err);
        }), keepAlive);
    }

    private void respond(ChannelHandlerContext ctx, CompletableFuture<ApiResponse> response, boolean keepAlive) {
        previous = previous.thenCompose(v -> response).thenAccept(r -> write(ctx, r, keepAlive))
                .exceptionally(e -> {
                    LOG.log(System.Logger.Level.WARNING, "writing a response failed", e);
                    ctx.close();
                    return null;
                });
    }

    static void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            resp.headers().set(h.getKey(), h.getValue());
        }
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(resp);
        } else {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "HTTP connection closed after error: {0}", cause.toString());
        ctx.close();
    }
}
