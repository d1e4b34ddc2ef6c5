/**
 * The node and the launcher. The node ({@code dev.haseq.node...}) is the mempool, block producer,
 * chain state machine, default executor, HTTP API and metrics; the launcher
 * ({@code dev.haseq.launcher...}) loads configuration and runs the {@code haseq} command line
 * (picocli reads its command classes by reflection).
 */
module dev.haseq.node {
    requires transitive dev.haseq.api;

    // launcher: configuration and CLI
    requires typesafe.config;
    requires info.picocli;
    requires com.fasterxml.jackson.dataformat.yaml;

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

    exports dev.haseq.node.api;
    exports dev.haseq.node.chain;
    exports dev.haseq.node.exec;
    exports dev.haseq.node.mempool;
    exports dev.haseq.node.metrics;
    exports dev.haseq.node.producer;
    exports dev.haseq.node.sign;
    exports dev.haseq.node.time;

    opens dev.haseq.launcher to info.picocli;
    opens dev.haseq.launcher.cli to info.picocli;

    provides dev.haseq.api.exec.ExecutorProvider with dev.haseq.node.exec.KvExecutorProvider;
}
