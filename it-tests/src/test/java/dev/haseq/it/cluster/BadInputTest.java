package dev.haseq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration stops start-up with a clear message; bad bytes on the ports never stop a node. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BadInputTest {
    @TempDir
    Path dir;

    private LocalCluster cluster;
    private final List<NodeProcess> single = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        single.stream().filter(NodeProcess::isAlive).forEach(NodeProcess::kill);
    }

    private NodeProcess startWithConfig(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        NodeProcess p = new NodeProcess(name, dir.resolve(name), 1, 1);
        single.add(p);
        p.start(List.of("start", "--config", file.toString()));
        return p;
    }

    @Test
    void badConfigurationAMissingKeyOrABusyPortMakeStartExitOneWithTheReason() throws Exception {
        NodeProcess typo = startWithConfig("typo", """
                home: "%s"
                node:
                  aggregator: true
                raft:
                  heartbeat_timout: 100ms
                  heartbeat_timeout: 500ms
                  election_timeout: 100ms
                """.formatted(dir.resolve("typo-home")));
        NodeProcess provider = startWithConfig("provider", """
                home: "%s"
                raft:
                  log_store: rocks
                """.formatted(dir.resolve("provider-home")));
        NodeProcess broken = startWithConfig("broken", """
                raft:
                  enable: "true
                  node_id: node-1
                """);

        NodeProcess noKey = startWithConfig("nokey", """
                home: "%s"
                node:
                  aggregator: true
                raft:
                  raft_addr: "127.0.0.1:%d"
                rpc:
                  address: "127.0.0.1:%d"
                """.formatted(dir.resolve("nokey-home"), LocalCluster.freePorts(1).get(0),
                LocalCluster.freePorts(1).get(0)));
        Path keyedHome = dir.resolve("busy-home");
        Files.createDirectories(keyedHome.resolve("config"));
        Files.write(keyedHome.resolve("config/signer.key"), KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair().getPrivate().getEncoded());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NodeProcess busyPort = startWithConfig("busy", """
                    home: "%s"
                    node:
                      aggregator: true
                    raft:
                      raft_addr: "127.0.0.1:%d"
                    rpc:
                      address: "127.0.0.1:%d"
                    """.formatted(keyedHome, LocalCluster.freePorts(1).get(0), taken.getLocalPort()));
            assertThat(busyPort.awaitExit(Duration.ofSeconds(60))).as(busyPort.logTail(20)).isEqualTo(1);
            assertThat(busyPort.logText()).contains("haseq start: cannot start the node")
                    .contains("cannot listen on rpc.address 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(noKey.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(noKey.logText()).contains("haseq start: cannot build the node")
                .contains("does not exist: create it with 'haseq init");

        assertThat(typo.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(typo.logText())
                .contains("haseq start: the configuration is invalid (3 errors)")
                .contains("unknown key raft.heartbeat_timout").contains("did you mean raft.heartbeat_timeout?")
                .contains("raft.election_timeout (100ms) must be >= raft.heartbeat_timeout (500ms)")
                .contains("raft.leader_lease_timeout (175ms) must be < raft.election_timeout (100ms)");
        assertThat(provider.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(provider.logText())
                .contains("raft.log_store 'rocks' is not an available LogStoreProvider; available: chronicle, file");
        assertThat(broken.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(broken.logText()).contains("broken.yaml").containsPattern("line \\d+");
    }

    @Test
    void garbageOnTheRaftAndHttpPortsAndOversizedRequestsGetClearErrorsWhileTheClusterGoesOn() throws Exception {
        cluster = LocalCluster.create(dir, 3);
        cluster.startAll();
        NodeProcess leader = cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitHeight(5, Duration.ofSeconds(60));

        // Raft port: random bytes, an HTTP request, a frame header announcing 2 GiB, a frame with a bad CRC
        byte[] random = new byte[64 << 10];
        new SplittableRandom(5).nextBytes(random);
        List<byte[]> raftGarbage = List.of(random, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xA7, 1, 0, 1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                new byte[] {(byte) 0xA7, 1, 0, 1, 0, 0, 0, 2, 'h', 'i', 0, 0, 0, 0});
        for (NodeProcess n : List.of(leader, cluster.nodes.stream().filter(x -> x != leader).findFirst().orElseThrow())) {
            for (byte[] g : raftGarbage) {
                assertThat(closedByPeer(n.raftPort, g)).as("%s closes a Raft connection that sent %d bad bytes",
                        n.id, g.length).isTrue();
            }
        }

        // HTTP port
        int api = leader.apiPort;
        assertThat(rawHttp(api, "\u0000\u0001\u0002garbage\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawHttp(api, "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414");
        assertThat(rawHttp(api, "GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
        assertThat(rawHttp(api, "POST /tx HTTP/1.1\r\nHost: x\r\nContent-Length: " + (2 << 20) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
        NodeClient.Answer tooBig = leader.api.submitRetrying("set big " + "v".repeat(200 << 10), false, Duration.ofSeconds(30));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.body().path("error").asText()).contains("exceeds the limit");
        NodeClient.Answer notATx = leader.api.submitRetrying("DROP TABLE blocks", false, Duration.ofSeconds(30));
        assertThat(notATx.status()).isEqualTo(400);
        assertThat(notATx.body().path("error").asText()).isNotBlank();
        NodeClient.Answer badHash = leader.api.get("/tx/xyz", Duration.ofSeconds(10));
        assertThat(badHash.status()).isEqualTo(400);

        // nobody stopped, and the chain goes on, the same everywhere
        long h = cluster.maxHeight();
        cluster.awaitHeight(h + 10, Duration.ofSeconds(60));
        assertThat(cluster.alive()).hasSize(3);
        Chains.sameChain(cluster.nodes, cluster.minHeight());
    }

    /** Sends {@code bytes} and reports whether the node then closed (or reset) the connection within 15 s. */
    private static boolean closedByPeer(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(15_000);
            try {
                OutputStream out = s.getOutputStream();
                out.write(bytes);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                for (int i = 0; i < 10_000; i++) {
                    if (in.read(buf) < 0) {
                        return true;
                    }
                }
                return false;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset: closed by the node
            }
        }
    }

    /** Sends a raw request and returns the status line and what follows (up to 64 KiB, 15 s). */
    private static String rawHttp(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while (got.size() < (64 << 10) && (n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        break;
                    }
                }
            } catch (SocketException | SocketTimeoutException e) {
                // whatever arrived before the node closed is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
