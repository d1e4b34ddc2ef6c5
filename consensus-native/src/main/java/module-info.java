/** Native Raft consensus provider: a pure core, a Netty TCP transport and the driver. */
module dev.haseq.consensus.raft {
    requires dev.haseq.api;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;

    exports dev.haseq.consensus.raft.core;
    exports dev.haseq.consensus.raft.transport;
    exports dev.haseq.consensus.raft.node;

    provides dev.haseq.api.consensus.ConsensusProvider with dev.haseq.consensus.raft.node.NativeConsensusProvider;
}
