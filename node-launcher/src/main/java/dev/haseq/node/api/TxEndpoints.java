package dev.haseq.node.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haseq.api.Hash;
import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.Tx;
import dev.haseq.node.mempool.AddResult;
import dev.haseq.node.mempool.TxStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** {@code POST /tx} and {@code GET /tx/{hash}} (docs/api.md). */
final class TxEndpoints {
    private final NodeApi node;

    TxEndpoints(NodeApi node) {
        this.node = node;
    }

    CompletableFuture<ApiResponse> submit(ApiRequest req) {
        Optional<String> wait = req.param("wait");
        if (wait.isPresent() && !wait.get().equals("commit")) {
            return done(ApiResponse.error(400, "unknown wait mode '" + wait.get() + "'; the only one is wait=commit"));
        }
        if (req.body().length == 0) {
            return done(ApiResponse.error(400, "empty transaction: the request body is the raw transaction"));
        }
        if (!node.consensus().isLeader()) {
            return forward(req);
        }
        Tx tx = new Tx(req.body());
        AddResult r = node.mempool().add(tx);
        long retry = node.settings().retryAfterSeconds();
        return switch (r.outcome()) {
            case TOO_LARGE -> done(error(413, r.detail(), r.hash()));
            case INVALID -> done(error(400, r.detail(), r.hash()));
            case FULL -> done(error(503, r.detail() + "; retry later", r.hash()).retryAfter(retry));
            case ACCEPTED, DUPLICATE -> {
                if (wait.isPresent()) {
                    yield awaitCommit(r.hash());
                }
                ObjectNode body = ApiResponse.object().put("hash", r.hash().hex())
                        .put("status", r.outcome() == AddResult.Outcome.ACCEPTED ? "accepted" : "duplicate");
                r.committedHeight().ifPresent(h -> body.put("height", h));
                yield done(ApiResponse.json(r.outcome() == AddResult.Outcome.ACCEPTED ? 202 : 200, body));
            }
        };
    }

    private CompletableFuture<ApiResponse> awaitCommit(Hash hash) {
        return node.mempool().awaitCommit(hash, node.settings().commitWaitTimeout()).handle((height, err) -> {
            if (err == null) {
                return ApiResponse.json(200, ApiResponse.object().put("hash", hash.hex()).put("status", "committed")
                        .put("height", height));
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof TimeoutException) {
                return ApiResponse.json(504, ApiResponse.object().put("hash", hash.hex()).put("status", "pending")
                        .put("error", "not committed within " + node.settings().commitWaitTimeout()
                                + "; poll GET /tx/" + hash.hex()));
            }
            return ApiResponse.error(500, "waiting for commit failed: " + cause);
        });
    }

    private CompletableFuture<ApiResponse> forward(ApiRequest req) {
        long retry = node.settings().retryAfterSeconds();
        Optional<NodeId> leader = node.consensus().leader();
        if (req.forwardedBy().isPresent()) {
            return done(notLeader("this node is not the leader either (forwarded by " + req.forwardedBy().get() + ")",
                    leader).retryAfter(retry));
        }
        if (leader.isEmpty() || leader.get().equals(node.self())) {
            return done(notLeader("no leader is known (election in progress); retry later", leader).retryAfter(retry));
        }
        HostPort rpc = node.settings().rpcPeers().get(leader.get());
        if (rpc == null) {
            return done(notLeader("the leader " + leader.get() + " has no RPC address in rpc.peers; send the transaction "
                    + "to the leader directly", leader).retryAfter(retry));
        }
        return node.forwarder().forward(rpc, req).exceptionally(e -> notLeader("cannot reach the leader "
                + leader.get() + " at " + rpc + ": " + (e.getCause() != null ? e.getCause() : e), leader).retryAfter(retry));
    }

    private static ApiResponse notLeader(String message, Optional<NodeId> leader) {
        ObjectNode body = ApiResponse.object().put("error", message);
        if (leader.isPresent()) {
            body.put("leader_id", leader.get().value());
        } else {
            body.putNull("leader_id");
        }
        return ApiResponse.json(503, body);
    }

    ApiResponse status(String hashText) {
        Hash hash;
        try {
            hash = Hash.ofHex(hashText);
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "bad transaction hash '" + hashText + "': " + e.getMessage());
        }
        ObjectNode body = ApiResponse.object().put("hash", hash.hex());
        return switch (node.mempool().status(hash)) {
            case TxStatus.Pending p -> ApiResponse.json(200, body.put("status", "pending"));
            case TxStatus.Committed c -> ApiResponse.json(200, body.put("status", "committed").put("height", c.height()));
            case TxStatus.Unknown u -> ApiResponse.json(404, body.put("status", "unknown"));
        };
    }

    private static ApiResponse error(int status, String message, Hash hash) {
        return ApiResponse.json(status, ApiResponse.object().put("error", message).put("hash", hash.hex()));
    }

    static CompletableFuture<ApiResponse> done(ApiResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
