package dev.haseq.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haseq.api.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A cluster of real {@code haseq start} processes on 127.0.0.1 with free ports, one home per node
 * under {@code dir}, one shared Ed25519 signing key, {@code rpc.peers} for forwarding, a short
 * block time and Raft timings from the operator guide's formulas for RTT_MAX = 50ms
 * ({@code haseq tune --rtt-max 50ms}: heartbeat 200ms, election 800ms, lease 100ms, send 150ms):
 * loopback is far faster, but up to five JVMs share two busy cores here, and a 50ms lease (the
 * guide's value for a 12ms RTT) makes leaders step down on every scheduling hiccup.
 * {@link #close()} SIGKILLs whatever still runs.
 */
final class LocalCluster implements AutoCloseable {
    static final String BLOCK_TIME = "100ms";
    static final String HEARTBEAT = "200ms";

    final List<NodeProcess> nodes = new ArrayList<>();

    private LocalCluster() {
    }

    /** Writes the homes of {@code n} nodes; {@code extra} keys go into every node's evnode.yaml. */
    static LocalCluster create(Path dir, int n, Map<String, String> extra) {
        LocalCluster c = new LocalCluster();
        List<Integer> ports = freePorts(3 * n);
        try {
            byte[] key = newSignerKey();
            for (int i = 0; i < n; i++) {
                String id = "node-" + (i + 1);
                c.nodes.add(new NodeProcess(id, dir.resolve(id), ports.get(3 * i), ports.get(3 * i + 1)));
            }
            for (int i = 0; i < n; i++) {
                NodeProcess node = c.nodes.get(i);
                Path config = node.home.resolve("config");
                Files.createDirectories(config);
                Path keyFile = config.resolve("signer.key");
                Files.write(keyFile, key);
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(config.resolve("evnode.yaml"), c.yaml(node, ports.get(3 * i + 2), extra));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    static LocalCluster create(Path dir, int n) {
        return create(dir, n, Map.of());
    }

    private String yaml(NodeProcess self, int p2pPort, Map<String, String> extra) {
        List<NodeProcess> others = nodes.stream().filter(o -> o != self).toList();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("node.aggregator", "true");
        v.put("node.block_time", BLOCK_TIME);
        v.put("raft.enable", Boolean.toString(nodes.size() > 1));
        v.put("raft.node_id", self.id);
        v.put("raft.raft_addr", "127.0.0.1:" + self.raftPort);
        v.put("raft.peers", others.stream().map(o -> o.id + "@127.0.0.1:" + o.raftPort).collect(Collectors.joining(",")));
        v.put("raft.heartbeat_timeout", HEARTBEAT);
        v.put("raft.election_timeout", "800ms");
        v.put("raft.leader_lease_timeout", "100ms");
        v.put("raft.send_timeout", "150ms");
        v.put("rpc.address", "127.0.0.1:" + self.apiPort);
        v.put("rpc.peers", others.stream().map(o -> o.id + "@127.0.0.1:" + o.apiPort).collect(Collectors.joining(",")));
        v.put("p2p.listen_address", "/ip4/127.0.0.1/tcp/" + p2pPort);
        v.putAll(extra);
        StringBuilder y = new StringBuilder("home: \"" + self.home + "\"\n");
        v.forEach((k, val) -> y.append(k).append(": \"").append(val).append("\"\n"));
        return y.toString();
    }

    /** The JDK's Ed25519 PKCS#8 encoding, the format haseq's key files use. */
    private static byte[] newSignerKey() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Distinct free ports on 127.0.0.1. */
    static List<Integer> freePorts(int count) {
        return FreePorts.pick(count);
    }

    NodeProcess node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    void startAll() {
        nodes.forEach(NodeProcess::start);
    }

    List<NodeProcess> alive() {
        return nodes.stream().filter(NodeProcess::isAlive).toList();
    }

    /** The node that says it leads and that every other answering node agrees on, if any. */
    Optional<NodeProcess> leader() {
        String agreed = null;
        for (NodeProcess n : alive()) {
            Optional<JsonNode> s = n.api.status();
            if (s.isEmpty()) {
                continue;
            }
            JsonNode leader = s.get().path("leader_id");
            if (leader.isNull() || leader.isMissingNode()) {
                return Optional.empty();
            }
            if (agreed != null && !agreed.equals(leader.asText())) {
                return Optional.empty();
            }
            agreed = leader.asText();
        }
        String id = agreed;
        return id == null ? Optional.empty() : alive().stream().filter(n -> n.id.equals(id)).findFirst();
    }

    /**
     * A leader that has just produced {@code blocks} blocks in a row while every live node agreed on
     * it: the leader to act on (kill, stop) without racing a leadership change.
     */
    NodeProcess awaitSteadyLeader(int blocks, Duration bound) {
        NodeProcess[] found = new NodeProcess[1];
        Waits.until(bound, "a leader produces " + blocks + " blocks in a row", () -> {
            Optional<NodeProcess> l = leader();
            if (l.isEmpty()) {
                return false;
            }
            long h = l.get().api.height();
            if (h < blocks) {
                return false;
            }
            try {
                boolean allByIt = l.get().api.blocks(h - blocks + 1, h).stream()
                        .allMatch(b -> b.proposer().equals(l.get().id));
                found[0] = l.get();
                return allByIt && leader().filter(x -> x == l.get()).isPresent();
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, this::describe);
        return found[0];
    }

    NodeProcess awaitLeader(Duration bound) {
        NodeProcess[] found = new NodeProcess[1];
        Waits.until(bound, "the live nodes agree on a leader", () -> {
            found[0] = leader().orElse(null);
            return found[0] != null;
        }, this::describe);
        return found[0];
    }

    /** Waits until every node in {@code which} has applied at least {@code height}. */
    void awaitHeight(long height, Duration bound, List<NodeProcess> which) {
        Waits.until(bound, which.stream().map(n -> n.id).toList() + " reach height " + height,
                () -> which.stream().allMatch(n -> n.api.height() >= height), this::describe);
    }

    void awaitHeight(long height, Duration bound) {
        awaitHeight(height, bound, alive());
    }

    /** The lowest height among the live nodes (-1 if one does not answer). */
    long minHeight() {
        return alive().stream().mapToLong(n -> n.api.height()).min().orElse(-1);
    }

    long maxHeight() {
        return alive().stream().mapToLong(n -> n.api.height()).max().orElse(-1);
    }

    String describe() {
        StringBuilder b = new StringBuilder("cluster:");
        for (NodeProcess n : nodes) {
            b.append("\n  ").append(n).append(" height ").append(n.isAlive() ? n.api.height() : -1);
            if (n.isAlive()) {
                b.append("\n    raft/node ").append(raftView(n, "/raft/node"));
                b.append("\n    raft/cluster ").append(raftView(n, "/raft/cluster"));
            }
        }
        for (NodeProcess n : nodes) {
            b.append("\n--- ").append(n.id).append(" log tail ---\n").append(n.logTail(15));
        }
        return b.toString();
    }

    private static String raftView(NodeProcess n, String path) {
        try {
            return n.api.get(path, Duration.ofSeconds(2)).body().toString();
        } catch (IOException e) {
            return "(" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    @Override
    public void close() {
        for (NodeProcess n : nodes) {
            if (n.isAlive()) {
                n.kill();
            }
            n.api.close();
        }
    }
}
