package dev.haseq.node.api;

import static dev.haseq.node.testing.Blocks.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.NodeId;
import dev.haseq.api.SignedHeader;
import dev.haseq.api.Tx;
import dev.haseq.node.mempool.MempoolSettings;
import dev.haseq.node.sign.Signer;
import dev.haseq.node.testing.FakeConsensusNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MempoolSettings MEMPOOL = new MempoolSettings(1000, 1 << 20, 1000, 10_000);
    private static final int MAX_REQUEST = 4096;
    private static KeyPair keys;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(TestNode::close);
        http.close();
    }

    private TestNode node(String id, MempoolSettings mempool, Map<NodeId, dev.haseq.api.HostPort> peers) throws Exception {
        TestNode n = new TestNode(id, mempool, peers, MAX_REQUEST, Duration.ofSeconds(10), keys);
        nodes.add(n);
        return n;
    }

    /** A leader that produces a block every 10 ms. */
    private TestNode producingLeader() throws Exception {
        TestNode n = node("node-1", MEMPOOL, Map.of());
        n.startProducer(Duration.ofMillis(10));
        n.consensus.elect();
        return n;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(TestNode n, String path) throws Exception {
        return send(HttpRequest.newBuilder(n.uri(path)).GET());
    }

    private HttpResponse<String> post(TestNode n, String path, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(n.uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpResponse<String> post(TestNode n, String path, String body) throws Exception {
        return post(n, path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void postTxIsAcceptedThenDeduplicatedAndItsStatusIsQueryable() throws Exception {
        TestNode n = node("node-1", MEMPOOL, Map.of());
        n.consensus.elect(); // leader, but no producer: the tx stays pending
        Tx tx = set("a", "1");
        HttpResponse<String> r = post(n, "/tx", tx.data());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("hash").asText()).isEqualTo(tx.hash().hex());
        assertThat(json(r).get("status").asText()).isEqualTo("accepted");

        HttpResponse<String> dup = post(n, "/tx", tx.data());
        assertThat(dup.statusCode()).isEqualTo(200);
        assertThat(json(dup).get("status").asText()).isEqualTo("duplicate");

        HttpResponse<String> st = get(n, "/tx/" + tx.hash().hex());
        assertThat(st.statusCode()).isEqualTo(200);
        assertThat(json(st).get("status").asText()).isEqualTo("pending");
        assertThat(get(n, "/tx/" + Hash.ZERO.hex()).statusCode()).isEqualTo(404);
        assertThat(json(get(n, "/tx/" + Hash.ZERO.hex())).get("status").asText()).isEqualTo("unknown");
        assertThat(get(n, "/tx/xyz").statusCode()).isEqualTo(400);
    }

    @Test
    void waitForCommitReturnsTheBlockHeightAndTheBlockIsServedSigned() throws Exception {
        TestNode n = producingLeader();
        Tx tx = set("greeting", "hello world");
        HttpResponse<String> r = post(n, "/tx?wait=commit", tx.data());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("committed");
        long height = body.get("height").asLong();
        assertThat(height).isPositive();
        assertThat(n.executor.get("greeting")).contains("hello world");

        JsonNode st = json(get(n, "/tx/" + tx.hash().hex()));
        assertThat(st.get("status").asText()).isEqualTo("committed");
        assertThat(st.get("height").asLong()).isEqualTo(height);

        HttpResponse<String> br = get(n, "/blocks/" + height);
        assertThat(br.statusCode()).isEqualTo(200);
        JsonNode b = json(br);
        BlockHeader stored = n.store.get(height).orElseThrow().header();
        assertThat(b.get("hash").asText()).isEqualTo(stored.hash().hex());
        assertThat(b.get("header").get("previous_hash").asText()).isEqualTo(stored.previousHash().hex());
        assertThat(b.get("header").get("proposer").asText()).isEqualTo("node-1");
        assertThat(b.get("header").get("timestamp_nanos").asLong()).isEqualTo(stored.timestampNanos());
        assertThat(b.get("tx_hashes").get(0).asText()).isEqualTo(tx.hash().hex());
        assertThat(Base64.getDecoder().decode(b.get("txs").get(0).asText())).isEqualTo(tx.data());
        byte[] sig = HexFormat.of().parseHex(b.get("signature").asText());
        assertThat(Signer.verify(new SignedHeader(stored, sig), keys.getPublic())).isTrue();

        // a duplicate of a committed tx answers with its height, also when waiting
        HttpResponse<String> again = post(n, "/tx?wait=commit", tx.data());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("height").asLong()).isEqualTo(height);
    }

    @Test
    void blocksAreServedByRangeWithBoundsAndClearErrors() throws Exception {
        TestNode n = producingLeader();
        assertThat(post(n, "/tx?wait=commit", set("x", "1").data()).statusCode()).isEqualTo(200);
        long head = n.chain.head().height();
        assertThat(head).isGreaterThanOrEqualTo(1);

        JsonNode range = json(get(n, "/blocks?from=1&to=" + Math.min(head, 3)));
        assertThat(range.get("blocks")).hasSize((int) Math.min(head, 3));
        assertThat(range.get("blocks").get(0).get("height").asLong()).isEqualTo(1);
        JsonNode open = json(get(n, "/blocks?from=1"));
        assertThat(open.get("to").asLong()).isEqualTo(5); // maxBlockRange = 5
        assertThat(get(n, "/blocks?from=1&to=6").statusCode()).isEqualTo(400);
        assertThat(get(n, "/blocks?from=3&to=2").statusCode()).isEqualTo(400);
        assertThat(get(n, "/blocks").statusCode()).isEqualTo(400);
        assertThat(get(n, "/blocks?from=zero").statusCode()).isEqualTo(400);
        assertThat(get(n, "/blocks/0").statusCode()).isEqualTo(400);
        assertThat(get(n, "/blocks/abc").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = get(n, "/blocks/999999999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).contains("999999999");
    }

    @Test
    void badTransactionsGet400And413() throws Exception {
        TestNode n = node("node-1", new MempoolSettings(100, 100_000, 100, 100), Map.of());
        n.consensus.elect();
        HttpResponse<String> invalid = post(n, "/tx", "delete everything");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("error").asText()).contains("set <key> <value>");
        assertThat(post(n, "/tx", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(post(n, "/tx?wait=forever", "set a 1").statusCode()).isEqualTo(400);

        HttpResponse<String> tooBigForMempool = post(n, "/tx", "set k " + "v".repeat(200));
        assertThat(tooBigForMempool.statusCode()).isEqualTo(413);
        assertThat(json(tooBigForMempool).get("error").asText()).contains("100 bytes");

        HttpResponse<String> tooBigForHttp = post(n, "/tx", "set k " + "v".repeat(MAX_REQUEST + 1));
        assertThat(tooBigForHttp.statusCode()).isEqualTo(413);
        assertThat(get(n, "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void aFullMempoolAnswers503WithRetryAfter() throws Exception {
        TestNode n = node("node-1", new MempoolSettings(2, 100_000, 1000, 100), Map.of());
        n.consensus.elect();
        assertThat(post(n, "/tx", "set a 1").statusCode()).isEqualTo(202);
        assertThat(post(n, "/tx", "set b 1").statusCode()).isEqualTo(202);
        HttpResponse<String> full = post(n, "/tx", "set c 1");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("retry-after")).hasValue("2");
        assertThat(json(full).get("error").asText()).contains("full");
    }

    @Test
    void waitForCommitTimesOutWith504WhileTheTxStaysPending() throws Exception {
        TestNode n = new TestNode("node-1", MEMPOOL, Map.of(), MAX_REQUEST, Duration.ofMillis(200), keys);
        nodes.add(n);
        n.consensus.elect();
        HttpResponse<String> r = post(n, "/tx?wait=commit", "set a 1");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(json(r).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void aFollowerForwardsTransactionsToTheLeaderOnce() throws Exception {
        TestNode leader = producingLeader();
        TestNode follower = node("node-2", MEMPOOL, Map.of(leader.id, leader.rpc()));
        follower.consensus.followerOf(Optional.of(leader.id));

        HttpResponse<String> r = post(follower, "/tx", "set via follower");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("status").asText()).isEqualTo("accepted");
        HttpResponse<String> waited = post(follower, "/tx?wait=commit", "set via2 follower");
        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(leader.executor.get("via2")).contains("follower");
        assertThat(follower.mempool.size()).isZero();

        HttpResponse<String> loop = send(HttpRequest.newBuilder(follower.uri("/tx"))
                .header(ApiRequest.FORWARDED_BY, "node-3").POST(HttpRequest.BodyPublishers.ofString("set x 1")));
        assertThat(loop.statusCode()).isEqualTo(503);
        assertThat(loop.headers().firstValue("retry-after")).isPresent();
        assertThat(json(loop).get("leader_id").asText()).isEqualTo("node-1");
    }

    @Test
    void aFollowerRelaysTheLeadersRefusalsIncludingRetryAfter() throws Exception {
        TestNode leader = node("node-1", new MempoolSettings(1, 100_000, 1000, 100), Map.of());
        leader.consensus.elect(); // no producer: the pool stays full after one tx
        TestNode follower = node("node-2", MEMPOOL, Map.of(leader.id, leader.rpc()));
        follower.consensus.followerOf(Optional.of(leader.id));
        assertThat(post(follower, "/tx", "set a 1").statusCode()).isEqualTo(202);
        HttpResponse<String> full = post(follower, "/tx", "set b 1");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("retry-after")).hasValue("2");
        assertThat(json(full).get("error").asText()).contains("full");
        HttpResponse<String> invalid = post(follower, "/tx", "nonsense");
        assertThat(invalid.statusCode()).isEqualTo(400);

        leader.close();
        HttpResponse<String> down = post(follower, "/tx", "set c 1");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).get("error").asText()).contains("cannot reach the leader node-1");
    }

    @Test
    void withoutAKnownLeaderOrItsAddressAFollowerAnswers503() throws Exception {
        TestNode n = node("node-2", MEMPOOL, Map.of());
        HttpResponse<String> noLeader = post(n, "/tx", "set a 1");
        assertThat(noLeader.statusCode()).isEqualTo(503);
        assertThat(noLeader.headers().firstValue("retry-after")).isPresent();
        assertThat(json(noLeader).get("leader_id").isNull()).isTrue();

        n.consensus.followerOf(Optional.of(NodeId.of("node-1")));
        HttpResponse<String> noAddress = post(n, "/tx", "set a 1");
        assertThat(noAddress.statusCode()).isEqualTo(503);
        assertThat(json(noAddress).get("error").asText()).contains("rpc.peers");
    }

    @Test
    void statusAndRaftEndpointsDescribeTheNode() throws Exception {
        TestNode n = producingLeader();
        n.consensus.setPeers(List.of(FakeConsensusNode.peer("node-2@127.0.0.1:5002", 3, Optional.of(Duration.ofMillis(42))),
                FakeConsensusNode.peer("node-3@127.0.0.1:5003", 0, Optional.empty())));
        assertThat(post(n, "/tx?wait=commit", "set s 1").statusCode()).isEqualTo(200);

        JsonNode status = json(get(n, "/status"));
        assertThat(status.get("node_id").asText()).isEqualTo("node-1");
        assertThat(status.get("role").asText()).isEqualTo("leader");
        assertThat(status.get("leader_id").asText()).isEqualTo("node-1");
        assertThat(status.get("term").asLong()).isEqualTo(1);
        assertThat(status.get("head").get("height").asLong()).isPositive();
        assertThat(status.get("head").get("hash").asText()).hasSize(64);
        assertThat(status.get("head").get("state_root").asText()).hasSize(64);
        assertThat(status.get("head").get("da_progress").get("block_height").asLong()).isZero();
        assertThat(status.get("mempool").get("size").isNumber()).isTrue();
        assertThat(status.get("catching_up").asBoolean()).isFalse();

        JsonNode raft = json(get(n, "/raft/node"));
        assertThat(raft.get("is_leader").asBoolean()).isTrue();
        assertThat(raft.get("node_id").asText()).isEqualTo("node-1");
        assertThat(raft.get("leader_id").asText()).isEqualTo("node-1");
        assertThat(raft.get("term").asLong()).isEqualTo(1);
        assertThat(raft.get("commit_index").asLong()).isPositive();
        assertThat(raft.get("applied_index").asLong()).isPositive();

        JsonNode cluster = json(get(n, "/raft/cluster"));
        assertThat(cluster.get("members")).hasSize(3);
        JsonNode peer2 = cluster.get("members").get(1);
        assertThat(peer2.get("node_id").asText()).isEqualTo("node-2");
        assertThat(peer2.get("raft_address").asText()).isEqualTo("127.0.0.1:5002");
        assertThat(peer2.get("match_index").asLong()).isEqualTo(3);
        assertThat(peer2.get("last_contact_ms").asLong()).isEqualTo(42);
        assertThat(cluster.get("members").get(2).get("last_contact_ms").isNull()).isTrue();
        assertThat(cluster.get("members").get(0).get("self").asBoolean()).isTrue();
    }

    @Test
    void leadershipTransferWorksOnTheLeaderAndIsRefusedElsewhere() throws Exception {
        TestNode n = producingLeader();
        HttpResponse<String> r = post(n, "/raft/transfer-leadership?target=node-3", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("leader_id").asText()).isEqualTo("node-3");
        assertThat(n.consensus.isLeader()).isFalse();

        HttpResponse<String> again = post(n, "/raft/transfer-leadership", new byte[0]);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("leader_id").asText()).isEqualTo("node-3");
        assertThat(post(n, "/raft/transfer-leadership?target=bad%20id", new byte[0]).statusCode()).isEqualTo(400);
    }

    @Test
    void healthSaysLiveAlwaysAndReadyOnlyWithALeader() throws Exception {
        TestNode n = node("node-1", MEMPOOL, Map.of());
        assertThat(get(n, "/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get(n, "/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(json(notReady).get("reason").asText()).contains("no leader");
        n.consensus.elect();
        HttpResponse<String> ready = get(n, "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void metricsAreServedInPrometheusTextFormat() throws Exception {
        TestNode n = producingLeader();
        assertThat(post(n, "/tx?wait=commit", "set m 1").statusCode()).isEqualTo(200);
        HttpResponse<String> r = get(n, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        String body = r.body();
        assertThat(body).contains("# TYPE haseq_chain_height gauge").contains("haseq_raft_is_leader 1.0")
                .contains("haseq_txs_committed_total 1.0");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        TestNode n = node("node-1", MEMPOOL, Map.of());
        assertThat(get(n, "/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> wrong = get(n, "/tx");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("allow")).hasValue("POST");
        assertThat(post(n, "/status", "x").statusCode()).isEqualTo(405);
        assertThat(get(n, "/raft/transfer-leadership").statusCode()).isEqualTo(405);
    }

    @Test
    void garbageOnTheHttpPortGets400AndTheNodeKeepsServing() throws Exception {
        TestNode n = node("node-1", MEMPOOL, Map.of());
        String garbage = rawExchange(n, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03,
                0x03, '\r', '\n', '\r', '\n'});
        assertThat(garbage).satisfiesAnyOf(s -> assertThat(s).startsWith("HTTP/1.1 400"), s -> assertThat(s).isEmpty());
        assertThat(rawExchange(n, "NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .startsWith("HTTP/1.1 400");
        assertThat(rawExchange(n, ("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 414");
        assertThat(rawExchange(n, ("GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 431");
        assertThat(rawExchange(n, ("POST /tx HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\nset")
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 413");
        assertThat(get(n, "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrderEvenWhenTheFirstWaits() throws Exception {
        TestNode n = new TestNode("node-1", MEMPOOL, Map.of(), MAX_REQUEST, Duration.ofMillis(300), keys);
        nodes.add(n);
        n.consensus.elect(); // no producer: the first request waits for its 504
        String body = "set p 1";
        String two = "POST /tx?wait=commit HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                + "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", n.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(two.getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int first = all.indexOf("HTTP/1.1 504");
            int second = all.indexOf("HTTP/1.1 200");
            assertThat(first).isNotNegative();
            assertThat(second).isGreaterThan(first);
        }
    }

    /** Sends raw bytes, half-closes, and reads whatever comes back (bounded by a read timeout). */
    private static String rawExchange(TestNode n, byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", n.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int len = 0;
            try {
                int r;
                while (len < buf.length && (r = in.read(buf, len, buf.length - len)) > 0) {
                    len += r;
                    if (new String(buf, 0, len, StandardCharsets.US_ASCII).contains("\r\n")) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // the server closed the connection: fine for garbage
            }
            return new String(buf, 0, len, StandardCharsets.US_ASCII);
        }
    }
}
