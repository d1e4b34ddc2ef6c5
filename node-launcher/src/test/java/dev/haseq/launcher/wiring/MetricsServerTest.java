package dev.haseq.launcher.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.HostPort;
import dev.haseq.node.metrics.NodeMetrics;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void servesThePrometheusTextOnMetricsAndNothingElse() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        int port = freePort();
        try (MetricsServer server = new MetricsServer(new HostPort("127.0.0.1", port), metrics);
             HttpClient http = HttpClient.newHttpClient()) {
            server.start();
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("content-type")).contains(metrics.contentType());
            assertThat(ok.body()).contains("haseq_chain_height").contains("haseq_raft_leader_changes_total");
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTakenPortIsAnErrorNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            MetricsServer server = new MetricsServer(new HostPort("127.0.0.1", taken.getLocalPort()), new NodeMetrics());
            assertThatThrownBy(server::start).hasMessageContaining("cannot listen on metrics.address 127.0.0.1:"
                    + taken.getLocalPort());
        }
    }
}
