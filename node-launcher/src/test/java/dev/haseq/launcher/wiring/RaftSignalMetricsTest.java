package dev.haseq.launcher.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.testing.FreePorts;
import dev.haseq.launcher.config.ConfigKeys;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.EvnodeFlags;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.node.metrics.PrometheusTextParser;
import dev.haseq.node.metrics.PrometheusTextParser.Family;
import dev.haseq.node.metrics.PrometheusTextParser.Sample;
import dev.haseq.node.sign.KeyFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes (native Raft, file log store, 127.0.0.1) of a three-member cluster, scraped over
 * HTTP and read with the strict exposition parser: the guide's Monitoring signals come from the
 * native Raft's events (leader changes, election timeouts), failed sends to a member that is down
 * are charged to that peer, and so is the snapshot transfer it gets once it starts after the others
 * compacted their logs.
 */
class RaftSignalMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<HaseqNode> nodes = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        nodes.forEach(HaseqNode::close);
        http.close();
    }


    private HaseqNode start(int i, int[] raftPorts, String... extraFlags) throws IOException {
        List<String> peers = new ArrayList<>();
        for (int p = 1; p <= raftPorts.length; p++) {
            if (p != i) {
                peers.add("node-" + p + "@127.0.0.1:" + raftPorts[p - 1]);
            }
        }
        Path home = root.resolve("node-" + i);
        List<String> flags = new ArrayList<>(List.of("--evnode.node.aggregator=true", "--evnode.raft.enable=true",
                "--evnode.raft.node_id=node-" + i, "--evnode.raft.raft_addr=127.0.0.1:" + raftPorts[i - 1],
                "--evnode.raft.peers=" + String.join(",", peers), "--evnode.rpc.address=127.0.0.1:" + FreePorts.pick(1).get(0),
                "--evnode.raft.log_store=file", "--evnode.node.block_time=100ms",
                // RTT_MAX 50 ms by the guide's formulas: relaxed enough for a loaded 2-core machine.
                "--evnode.raft.heartbeat_timeout=200ms", "--evnode.raft.election_timeout=800ms",
                "--evnode.raft.leader_lease_timeout=100ms", "--evnode.raft.send_timeout=150ms",
                "--evnode.raft.snapshot_threshold=10", "--evnode.raft.trailing_logs=2"));
        flags.addAll(List.of(extraFlags));
        HaseqConfig config = new ConfigLoader(Map.of(), home).load(new ConfigRequest(Optional.empty(),
                Optional.of(home.toString()), EvnodeFlags.parse(flags, ConfigKeys.builtIn()))).orThrow();
        KeyFile.loadOrCreate(config.node().signerKey(), new SecureRandom());
        HaseqNode node = HaseqNode.create(config, Clock.systemUTC());
        nodes.add(node);
        node.start();
        return node;
    }

    private Map<String, Family> scrape(HaseqNode node) throws Exception {
        return scrape("http://" + node.apiAddress() + "/metrics");
    }

    private Map<String, Family> scrape(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusTextParser.parse(r.body());
    }

    private static double value(Map<String, Family> f, String name, Map<String, String> labels) {
        Family family = f.get(name);
        if (family == null) {
            throw new AssertionError("family " + name + " missing");
        }
        return family.sample(name, labels).map(Sample::value).orElse(0.0);
    }

    /** Scrapes {@code of} until the sum of {@code read} over them reaches {@code atLeast} (at most {@link #WAIT}). */
    private void awaitSum(List<HaseqNode> of, String what, ToDoubleFunction<Map<String, Family>> read, double atLeast)
            throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        for (int round = 0; ; round++) {
            double sum = 0;
            for (HaseqNode n : of) {
                sum += read.applyAsDouble(scrape(n));
            }
            if (sum >= atLeast) {
                return;
            }
            if (Instant.now().isAfter(deadline) || round > 2_000) {
                throw new AssertionError("not within " + WAIT + ": " + what + " (" + sum + " < " + atLeast + ")");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aMemberThatIsDownThenComesBackShowsEveryMonitoringSignalOfTheGuide() throws Exception {
        List<Integer> ports = FreePorts.pick(4);
        int[] raftPorts = {ports.get(0), ports.get(1), ports.get(2)};
        int metricsPort = ports.get(3);
        HaseqNode node1 = start(1, raftPorts, "--evnode.metrics.enabled=true",
                "--evnode.metrics.address=127.0.0.1:" + metricsPort);
        HaseqNode node2 = start(2, raftPorts);
        List<HaseqNode> up = List.of(node1, node2);

        // The first leader came out of an election timeout: a pre-vote, then an election.
        awaitSum(up, "a leader", f -> value(f, "haseq_raft_is_leader", Map.of()), 1);
        awaitSum(up, "both members saw the leader change",
                f -> value(f, "haseq_raft_leader_changes_total", Map.of()) >= 1 ? 1 : 0, 2);
        awaitSum(up, "an election timeout (pre-vote)", f -> value(f, "haseq_raft_prevotes_started_total", Map.of()), 1);
        awaitSum(up, "an election", f -> value(f, "haseq_raft_elections_started_total", Map.of()), 1);
        assertThat(scrape(node1).get("haseq_raft_applied_lag").type()).isEqualTo("gauge");

        // node-3 is down: the leader's messages to it are never acknowledged.
        awaitSum(up, "a failed send to node-3, on the leader",
                f -> value(f, "haseq_raft_send_failures_total", Map.of("peer", "node-3")), 1);
        // The guide's "available via Prometheus if metrics.enabled: true": the same text on metrics.address.
        Map<String, Family> f1 = scrape("http://127.0.0.1:" + metricsPort + "/metrics");
        assertThat(f1.get("haseq_raft_send_failures_total").samples()).extracting(s -> s.labels().get("peer"))
                .as("one series per configured peer, none without a peer").containsExactlyInAnyOrder("node-2", "node-3");
        assertThat(f1.keySet()).isEqualTo(scrape(node1).keySet());

        // Compacted past everything node-3 could replay from the log: it can only come back by a snapshot.
        awaitSum(up, "a snapshot taken while node-3 is down",
                f -> value(f, "haseq_raft_snapshot_index", Map.of()) >= 10 ? 1 : 0, 2);
        HaseqNode node3 = start(3, raftPorts);

        awaitSum(up, "the leader finished sending node-3 a snapshot",
                f -> value(f, "haseq_raft_snapshot_sends_finished_total", Map.of("peer", "node-3")), 1);
        awaitSum(List.of(node3), "node-3 installed the snapshot",
                f -> value(f, "haseq_raft_snapshots_installed_total", Map.of()), 1);
        double started = 0;
        for (HaseqNode n : up) {
            started += value(scrape(n), "haseq_raft_snapshot_sends_started_total", Map.of("peer", "node-3"));
        }
        assertThat(started).as("snapshot sends started to node-3").isGreaterThanOrEqualTo(1);
        Map<String, Family> f3 = scrape(node3);
        assertThat(value(f3, "haseq_raft_snapshot_receives_started_total", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(f3.get("haseq_raft_snapshot_receive_failures_total").samples()).as("exported, nothing was damaged")
                .singleElement().satisfies(s -> assertThat(s.value()).isZero());
    }
}
