package dev.haseq.launcher.wiring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.haseq.api.HostPort;
import dev.haseq.node.metrics.NodeMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Prometheus endpoint on {@code metrics.address} ({@code GET /metrics}), for when metrics are
 * enabled: the guide's monitoring setup scrapes a port of its own. It serves the same text as the
 * API's {@code /metrics}; every other path is 404. One thread: scrapes are rare and cheap.
 */
public final class MetricsServer implements AutoCloseable {
    private final HostPort address;
    private final NodeMetrics metrics;
    private HttpServer server;
    private ExecutorService executor;

    public MetricsServer(HostPort address, NodeMetrics metrics) {
        this.address = address;
        this.metrics = metrics;
    }

    /** Binds {@code metrics.address}; fails with the address in the message if it cannot. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("metrics server already started");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on metrics.address " + address + ": " + e.getMessage(), e);
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "haseq-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port bound (useful with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("metrics server not started");
        }
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            int status;
            String type;
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                status = 404;
                type = "text/plain; charset=utf-8";
                body = "only /metrics is served here\n".getBytes(StandardCharsets.UTF_8);
            } else if (!exchange.getRequestMethod().equals("GET")) {
                status = 405;
                type = "text/plain; charset=utf-8";
                body = "use GET\n".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Allow", "GET");
            } else {
                status = 200;
                type = metrics.contentType();
                body = metrics.scrape();
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
