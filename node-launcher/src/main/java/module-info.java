/** The node and the launcher. */
module dev.haseq.node {
    requires transitive dev.haseq.api;

    // node: HTTP API, metrics
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.handler;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires com.codahale.metrics;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.instrumentation.dropwizard;

    // node
    exports dev.haseq.node.api;
    exports dev.haseq.node.chain;
    exports dev.haseq.node.exec;
    exports dev.haseq.node.mempool;
    exports dev.haseq.node.metrics;
    exports dev.haseq.node.producer;
    exports dev.haseq.node.sign;
    exports dev.haseq.node.time;

    provides dev.haseq.api.exec.ExecutorProvider with dev.haseq.node.exec.KvExecutorProvider;
}
