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
import dev.haseq.node.sign.KeyFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node (native Raft, file log store, on 127.0.0.1) provoked into the events the transport
 * and storage metrics count, then scraped over HTTP and read with the strict exposition parser.
 */
class TransportAndStorageMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CLOSED = "haseq_raft_transport_connections_closed_total";
    private static final String TORN = "haseq_storage_torn_tails_truncated_total";
    private static final String TORN_BYTES = "haseq_storage_torn_tail_dropped_bytes_total";

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<HaseqNode> nodes = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        nodes.forEach(HaseqNode::close);
        http.close();
    }


    private HaseqNode start(int raftPort, String... extraFlags) throws IOException {
        List<String> flags = new ArrayList<>(List.of("--evnode.node.aggregator=true",
                "--evnode.node.block_time=100ms", "--evnode.raft.raft_addr=127.0.0.1:" + raftPort,
                "--evnode.rpc.address=127.0.0.1:" + FreePorts.pick(1).get(0), "--evnode.raft.log_store=file",
                "--evnode.raft.heartbeat_timeout=100ms", "--evnode.raft.election_timeout=400ms",
                "--evnode.raft.leader_lease_timeout=50ms"));
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
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + node.apiAddress() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusTextParser.parse(r.body());
    }

    /** Scrapes until {@code done} holds (at most {@link #WAIT}), returning that scrape. */
    private Map<String, Family> scrapeUntil(HaseqNode node, String what, Predicate<Map<String, Family>> done)
            throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            Map<String, Family> f = scrape(node);
            if (done.test(f)) {
                return f;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static double counter(Map<String, Family> f, String name, Map<String, String> labels) {
        assertThat(f).as("family " + name).containsKey(name);
        return f.get(name).sample(name, labels).orElseThrow(() -> new AssertionError(name + labels + " missing"))
                .value();
    }

    private static double garbageFrom(Map<String, Family> f, String peer) {
        return counter(f, CLOSED, Map.of("peer", peer, "reason", "garbage"));
    }

    /** Writes {@code bytes} to the Raft port and waits (bounded) for the node to hang up. */
    /**
     * Where the records of a {@code file} log segment end: a 20-byte header, then frames of an
     * 8-byte header (non-zero magic first, payload length at offset 4), the payload and a 4-byte CRC.
     */
    private static long endOfRecords(Path segment) throws IOException {
        byte[] b = Files.readAllBytes(segment);
        int pos = 20;
        while (pos + 8 <= b.length && b[pos] != 0) {
            pos += 12 + ByteBuffer.wrap(b, pos + 4, 4).getInt();
        }
        return pos;
    }

    private static void sendToRaftPort(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] sink = new byte[256];
            for (int i = 0; i < 1000 && in.read(sink) >= 0; i++) {
                // drain until the node closes the connection (a reject frame may come first)
            }
        }
    }

    @Test
    void garbageOnTheRaftPortAndATornLogTailAreCountedInMetrics() throws Exception {
        int raftPort = FreePorts.pick(1).get(0);
        HaseqNode first = start(raftPort);
        Map<String, Family> before = scrapeUntil(first, "the single node commits a block",
                f -> counter(f, "haseq_chain_height", Map.of()) >= 1);
        assertThat(garbageFrom(before, "(unidentified)")).as("exported from zero").isEqualTo(0);
        assertThat(counter(before, TORN, Map.of("store", "raft_log"))).isEqualTo(0);

        // Someone points an HTTP client at the Raft port.
        sendToRaftPort(raftPort, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Map<String, Family> after = scrapeUntil(first, "the garbage connection is counted",
                f -> garbageFrom(f, "(unidentified)") >= 1);
        assertThat(garbageFrom(after, "(unidentified)")).isEqualTo(1);
        assertThat(counter(after, CLOSED, Map.of("peer", "(unidentified)", "reason", "oversized_frame"))).isEqualTo(0);
        first.close();

        // A write the crash interrupted: a partial record after the last record of the last log
        // segment (the file may continue with preallocated zeros there).
        Path segment;
        try (Stream<Path> files = Files.list(home.resolve("raft/raft-log"))) {
            segment = files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no log segment under " + home.resolve("raft/raft-log")));
        }
        byte[] torn = {0x00, 0x00, 0x00, 0x40, 0x01, 0x02, 0x03};
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(torn);
            long at = endOfRecords(segment);
            while (b.hasRemaining()) {
                ch.write(b, at + b.position());
            }
        }

        HaseqNode second = start(raftPort);
        Map<String, Family> reopened = scrape(second);
        assertThat(counter(reopened, TORN, Map.of("store", "raft_log"))).isEqualTo(1);
        assertThat(counter(reopened, TORN_BYTES, Map.of("store", "raft_log"))).isEqualTo(torn.length);
        assertThat(counter(reopened, TORN, Map.of("store", "blocks"))).isEqualTo(0);
        assertThat(garbageFrom(reopened, "(unidentified)")).as("a new node counts from zero").isEqualTo(0);
        scrapeUntil(second, "the reopened node commits again",
                f -> counter(f, "haseq_chain_height", Map.of()) > counter(before, "haseq_chain_height", Map.of()));
    }

    @Test
    void aPeerThatAnswersTheHandshakeWithGarbageIsCountedUnderItsName() throws Exception {
        try (ServerSocket fakePeer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            fakePeer.setSoTimeout((int) WAIT.toMillis());
            HaseqNode node = start(FreePorts.pick(1).get(0), "--evnode.raft.enable=true", "--evnode.raft.node_id=node-1",
                    "--evnode.raft.peers=node-2@127.0.0.1:" + fakePeer.getLocalPort());
            try (Socket dialled = fakePeer.accept()) {
                dialled.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                dialled.getOutputStream().flush();
                dialled.setSoTimeout((int) WAIT.toMillis());
                try {
                    dialled.getInputStream().readAllBytes(); // until node-1 hangs up
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("node-1 kept a connection open that answered with garbage", e);
                }
            }
            Map<String, Family> f = scrapeUntil(node, "node-1 counts node-2's garbage",
                    m -> garbageFrom(m, "node-2") >= 1);
            assertThat(garbageFrom(f, "node-2")).isEqualTo(1);
            assertThat(garbageFrom(f, "(unidentified)")).as("charged to the peer it dialled").isEqualTo(0);
            assertThat(counter(f, "haseq_raft_transport_sent_frames_total", Map.of("peer", "node-2")))
                    .as("no handshake, no data frames").isEqualTo(0);
            assertThat(f.get("haseq_raft_transport_sent_frames_total").samples()).extracting(s -> s.labels().get("peer"))
                    .containsExactly("node-2");
        }
    }
}
