package dev.haseq.node.api;

import java.util.concurrent.CompletableFuture;

/**
 * Maps method + path to an endpoint. Unknown paths get 404, a known path with another method 405
 * (with {@code Allow}). Every endpoint is listed in docs/api.md.
 */
public final class ApiRouter {
    private final NodeApi node;
    private final TxEndpoints tx;
    private final ChainEndpoints chain;
    private final RaftEndpoints raft;

    public ApiRouter(NodeApi node) {
        this.node = node;
        this.tx = new TxEndpoints(node);
        this.chain = new ChainEndpoints(node);
        this.raft = new RaftEndpoints(node);
    }

    public CompletableFuture<ApiResponse> route(ApiRequest req) {
        String p = req.path();
        String m = req.method();
        if (p.equals("/tx")) {
            return m.equals("POST") ? tx.submit(req) : done(notAllowed("POST"));
        }
        if (p.startsWith("/tx/")) {
            return get(m, () -> tx.status(p.substring("/tx/".length())));
        }
        if (p.equals("/blocks")) {
            return get(m, () -> chain.blocks(req));
        }
        if (p.startsWith("/blocks/")) {
            return get(m, () -> chain.block(p.substring("/blocks/".length())));
        }
        if (p.equals("/raft/transfer-leadership")) {
            return m.equals("POST") ? raft.transferLeadership(req) : done(notAllowed("POST"));
        }
        return switch (p) {
            case "/status" -> get(m, chain::status);
            case "/raft/node" -> get(m, raft::raftNode);
            case "/raft/cluster" -> get(m, raft::cluster);
            case "/health/live" -> get(m, raft::live);
            case "/health/ready" -> get(m, raft::ready);
            case "/metrics" -> get(m, () -> ApiResponse.text(200, node.metrics().contentType(), node.metrics().scrape()));
            default -> done(ApiResponse.error(404, "no such endpoint: " + m + " " + p + " (see docs/api.md)"));
        };
    }

    private static CompletableFuture<ApiResponse> get(String method, java.util.function.Supplier<ApiResponse> endpoint) {
        return method.equals("GET") ? done(endpoint.get()) : done(notAllowed("GET"));
    }

    private static ApiResponse notAllowed(String allowed) {
        return ApiResponse.error(405, "method not allowed; use " + allowed).withHeader("Allow", allowed);
    }

    private static CompletableFuture<ApiResponse> done(ApiResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
