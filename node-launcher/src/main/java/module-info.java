/**
 * The node and the launcher. The node ({@code dev.haseq.node...}) is the mempool, block producer,
 * chain state machine, default executor, HTTP API and metrics; the launcher
 * ({@code dev.haseq.launcher...}) loads configuration, wires the node with Guice from the providers
 * found with {@code ServiceLoader} (the {@code uses} clauses below) and runs the {@code haseq}
 * command line (picocli reads its command classes by reflection). Logging: slf4j with logback;
 * {@code System.Logger} (the node, the native Raft) is routed to slf4j by
 * {@code org.slf4j.jdk.platform.logging}, and Chronicle and Netty log through slf4j themselves.
 */
module dev.haseq.node {
    requires transitive dev.haseq.api;

    // launcher: configuration and CLI
    requires typesafe.config;
    requires info.picocli;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.google.guice;
    requires jakarta.inject;
    requires org.slf4j;
    requires jdk.unsupported;   // sun.misc.Signal: SIGTERM/SIGINT -> graceful stop and exit 0
    requires jdk.httpserver;    // the metrics endpoint on metrics.address

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
    opens dev.haseq.launcher.wiring to com.google.guice;

    uses dev.haseq.api.consensus.ConsensusProvider;
    uses dev.haseq.api.storage.LogStoreProvider;
    uses dev.haseq.api.storage.StableStoreProvider;
    uses dev.haseq.api.storage.SnapshotStoreProvider;
    uses dev.haseq.api.storage.BlockStoreProvider;
    uses dev.haseq.api.exec.ExecutorProvider;
    uses dev.haseq.api.exec.DataAvailabilityProvider;

    provides dev.haseq.api.exec.ExecutorProvider with dev.haseq.node.exec.KvExecutorProvider;
}
