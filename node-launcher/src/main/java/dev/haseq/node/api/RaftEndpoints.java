package dev.haseq.node.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusStatus;
import dev.haseq.api.consensus.PeerStatus;
import dev.haseq.api.consensus.Role;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code /raft/*} and {@code /health/*} (docs/api.md). */
final class RaftEndpoints {
    private final NodeApi node;

    RaftEndpoints(NodeApi node) {
        this.node = node;
    }

    ApiResponse raftNode() {
        ConsensusStatus s = node.consensus().status();
        ObjectNode body = ApiResponse.object().put("is_leader", s.role() == Role.LEADER)
                .put("node_id", node.self().value());
        putLeader(body, s.leader());
        body.put("term", s.term()).put("commit_index", s.commitIndex()).put("applied_index", s.appliedIndex())
                .put("role", s.role().name().toLowerCase(Locale.ROOT));
        return ApiResponse.json(200, body);
    }

    ApiResponse cluster() {
        ConsensusStatus s = node.consensus().status();
        ObjectNode body = ApiResponse.object().put("node_id", node.self().value());
        putLeader(body, s.leader());
        body.put("term", s.term());
        ArrayNode members = body.putArray("members");
        ObjectNode me = members.addObject().put("node_id", node.self().value()).put("self", true)
                .put("role", s.role().name().toLowerCase(Locale.ROOT));
        me.put("match_index", s.lastLogIndex());
        me.putNull("last_contact_ms");
        for (PeerStatus p : s.peers()) {
            ObjectNode m = members.addObject().put("node_id", p.address().id().value()).put("self", false)
                    .put("raft_address", p.address().address().toString())
                    .put("match_index", p.matchIndex()).put("healthy", p.healthy());
            if (p.lastContact().isPresent()) {
                m.put("last_contact_ms", p.lastContact().get().toMillis());
            } else {
                m.putNull("last_contact_ms");
            }
        }
        return ApiResponse.json(200, body);
    }

    CompletableFuture<ApiResponse> transferLeadership(ApiRequest req) {
        Optional<NodeId> target;
        try {
            target = req.param("target").map(NodeId::of);
        } catch (IllegalArgumentException e) {
            return TxEndpoints.done(ApiResponse.error(400, "bad target: " + e.getMessage()));
        }
        if (!node.consensus().isLeader()) {
            ObjectNode body = ApiResponse.object().put("error", "only the leader can transfer leadership; ask the leader");
            putLeader(body, node.consensus().leader());
            return TxEndpoints.done(ApiResponse.json(409, body));
        }
        CompletableFuture<NodeId> f;
        try {
            f = node.consensus().transferLeadership(target);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((leader, err) -> {
            if (err == null) {
                return ApiResponse.json(200, ApiResponse.object().put("leader_id", leader.value()));
            }
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            return ApiResponse.error(503, "leadership transfer failed: " + cause.getMessage())
                    .retryAfter(node.settings().retryAfterSeconds());
        });
    }

    ApiResponse live() {
        return ApiResponse.json(200, ApiResponse.object().put("status", "live"));
    }

    /** Ready = a leader is known, everything committed is applied, and no history is missing. */
    ApiResponse ready() {
        ConsensusStatus s = node.consensus().status();
        String reason = null;
        if (s.leader().isEmpty()) {
            reason = "no leader is known";
        } else if (s.appliedIndex() < s.commitIndex()) {
            reason = "applied index " + s.appliedIndex() + " is behind commit index " + s.commitIndex();
        } else if (node.chain().isCatchingUp()) {
            reason = "catching up: committed blocks below the head are missing locally";
        }
        if (reason == null) {
            return ApiResponse.json(200, ApiResponse.object().put("status", "ready"));
        }
        return ApiResponse.json(503, ApiResponse.object().put("status", "not_ready").put("reason", reason))
                .retryAfter(node.settings().retryAfterSeconds());
    }

    static void putLeader(ObjectNode body, Optional<NodeId> leader) {
        if (leader.isPresent()) {
            body.put("leader_id", leader.get().value());
        } else {
            body.putNull("leader_id");
        }
    }
}
