package dev.haseq.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A client of one node's HTTP API (docs/api.md); every call has a timeout. */
final class NodeClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    NodeClient(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    /** A JSON answer. */
    record Answer(int status, JsonNode body) {
    }

    /** A committed block as the API shows it. */
    record BlockInfo(long height, String hash, String previousHash, String proposer, long timestampNanos,
                     String signature, List<String> txHashes) {
        static BlockInfo of(JsonNode b) {
            List<String> txs = new ArrayList<>();
            b.path("tx_hashes").forEach(t -> txs.add(t.asText()));
            JsonNode h = b.path("header");
            return new BlockInfo(b.path("height").asLong(), b.path("hash").asText(), h.path("previous_hash").asText(),
                    h.path("proposer").asText(), h.path("timestamp_nanos").asLong(), b.path("signature").asText(), txs);
        }
    }

    Answer get(String path, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build());
    }

    Answer post(String path, byte[] body, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body;
        try {
            body = r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.getNodeFactory().textNode(new String(r.body(), StandardCharsets.UTF_8));
        }
        return new Answer(r.statusCode(), body);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** {@code GET /status}, or empty if the node does not answer (down, starting, stopping). */
    Optional<JsonNode> status() {
        try {
            Answer a = get("/status", Duration.ofSeconds(2));
            return a.status() == 200 ? Optional.of(a.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The applied head height, or -1 if the node does not answer. */
    long height() {
        return status().map(s -> s.path("head").path("height").asLong()).orElse(-1L);
    }

    /** Stored blocks {@code [from, to]} in order, fetched in pages. */
    List<BlockInfo> blocks(long from, long to) throws IOException, InterruptedException {
        List<BlockInfo> out = new ArrayList<>();
        for (long f = from; f <= to; f += 100) {
            long t = Math.min(to, f + 99);
            Answer a = get("/blocks?from=" + f + "&to=" + t, Duration.ofSeconds(10));
            if (a.status() != 200) {
                throw new IOException("GET /blocks?from=" + f + "&to=" + t + " on port " + port + " answered "
                        + a.status() + ": " + a.body());
            }
            a.body().path("blocks").forEach(b -> out.add(BlockInfo.of(b)));
        }
        return out;
    }

    /** {@code POST /tx[?wait=commit]} with a kv transaction. */
    Answer submit(String tx, boolean waitCommit, Duration timeout) throws IOException, InterruptedException {
        return post("/tx" + (waitCommit ? "?wait=commit" : ""), tx.getBytes(StandardCharsets.UTF_8), timeout);
    }

    /**
     * Submits until the answer is not a "retry later" (503: no leader, leader unreachable, election
     * in progress), for at most {@code bound}; returns the last answer.
     */
    Answer submitRetrying(String tx, boolean waitCommit, Duration bound) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Answer a = submit(tx, waitCommit, Duration.ofSeconds(30));
            if (a.status() != 503 || System.nanoTime() > deadline) {
                return a;
            }
            Thread.sleep(100);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
