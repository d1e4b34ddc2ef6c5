package dev.haseq.launcher.devcluster;

import dev.haseq.api.config.Durations;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.launcher.config.NodeSettings;
import dev.haseq.launcher.config.P2pSettings;
import dev.haseq.launcher.config.RpcSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where a local development cluster lives and listens: node {@code i} (1-based) of {@code n} has
 * its home in {@code <dir>/node-i}, its API on {@code 127.0.0.1:<basePort + i>}, Raft on
 * {@code basePort + 100 + i} and the (configured, not yet served) P2P address on
 * {@code basePort + 200 + i}. Timings follow the operator guide's formulas for RTT_MAX = 50ms
 * ({@code haseq tune --rtt-max 50ms}: heartbeat 200ms, election 800ms, lease 100ms, send 150ms):
 * loopback is much faster, but several JVMs starting on a laptop's cores stall for longer than
 * the 50ms lease of the guide's low-latency example, and leadership would flap while they warm up.
 *
 * @param dir       the cluster's directory (node homes and the shared signing key)
 * @param nodes     how many nodes
 * @param basePort  see above; the default puts node-1's API on 7331, the CLI's default
 * @param blockTime {@code node.block_time} of every node
 */
public record DevClusterLayout(Path dir, int nodes, int basePort, Duration blockTime) {
    public static final int DEFAULT_BASE_PORT = 7330;
    public static final int MAX_NODES = 9;
    public static final String SHARED_KEY = "signer.key";

    public DevClusterLayout {
        if (dir == null || blockTime == null || !blockTime.isPositive()) {
            throw new IllegalArgumentException("a dev cluster needs a directory and a positive block time");
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be 1 to " + MAX_NODES + ", got " + nodes);
        }
        if (basePort < 1 || basePort + 200 + nodes > 65535) {
            throw new IllegalArgumentException("--base-port " + basePort + " leaves no room for " + nodes
                    + " nodes (ports up to base + 200 + nodes are used)");
        }
    }

    /** One node of the cluster. */
    public record Member(int index, String id, Path home, int apiPort, int raftPort, int p2pPort) {
        public String api() {
            return "127.0.0.1:" + apiPort;
        }

        public String raft() {
            return "127.0.0.1:" + raftPort;
        }

        public Path log() {
            return home.resolve("haseq.log");
        }
    }

    public List<Member> members() {
        return IntStream.rangeClosed(1, nodes).mapToObj(i -> new Member(i, "node-" + i, dir.resolve("node-" + i),
                basePort + i, basePort + 100 + i, basePort + 200 + i)).toList();
    }

    public Path sharedKey() {
        return dir.resolve(SHARED_KEY);
    }

    /** Every port the cluster binds (API and Raft). */
    public List<Integer> boundPorts() {
        List<Integer> ports = new ArrayList<>();
        for (Member m : members()) {
            ports.add(m.apiPort());
            ports.add(m.raftPort());
        }
        return ports;
    }

    /** The configuration keys for {@code m} (written to its evnode.yaml). */
    public Map<String, String> configOf(Member m) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("home", m.home().toString());
        v.put(NodeSettings.AGGREGATOR, "true");
        v.put(NodeSettings.BLOCK_TIME, Durations.format(blockTime));
        v.put(RaftSettings.ENABLE, Boolean.toString(nodes > 1));
        v.put(RaftSettings.NODE_ID, m.id());
        v.put(RaftSettings.RAFT_ADDR, m.raft());
        List<Member> others = members().stream().filter(o -> o.index() != m.index()).toList();
        v.put(RaftSettings.PEERS, others.stream().map(o -> o.id() + "@" + o.raft()).collect(Collectors.joining(",")));
        v.put(RaftSettings.HEARTBEAT_TIMEOUT, "200ms");
        v.put(RaftSettings.ELECTION_TIMEOUT, "800ms");
        v.put(RaftSettings.LEADER_LEASE_TIMEOUT, "100ms");
        v.put(RaftSettings.SEND_TIMEOUT, "150ms");
        v.put(RpcSettings.ADDRESS, m.api());
        v.put(RpcSettings.PEERS, others.stream().map(o -> o.id() + "@" + o.api()).collect(Collectors.joining(",")));
        v.put(P2pSettings.LISTEN_ADDRESS, "/ip4/127.0.0.1/tcp/" + m.p2pPort());
        v.put(P2pSettings.PEERS, others.stream().map(o -> "/ip4/127.0.0.1/tcp/" + o.p2pPort())
                .collect(Collectors.joining(",")));
        return v;
    }
}
