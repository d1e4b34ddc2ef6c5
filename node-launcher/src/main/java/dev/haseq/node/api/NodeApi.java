package dev.haseq.node.api;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.mempool.Mempool;
import dev.haseq.node.metrics.NodeMetrics;
import dev.haseq.node.sign.Signer;

/** What the HTTP API reads and drives: the node's parts, already constructed. */
public record NodeApi(NodeId self, ConsensusNode consensus, ChainStateMachine chain, Mempool mempool, Signer signer,
                      NodeMetrics metrics, HttpApiSettings settings, LeaderForwarder forwarder) {
    public NodeApi {
        if (self == null || consensus == null || chain == null || mempool == null || signer == null || metrics == null
                || settings == null || forwarder == null) {
            throw new IllegalArgumentException("NodeApi parts must not be null");
        }
    }
}
