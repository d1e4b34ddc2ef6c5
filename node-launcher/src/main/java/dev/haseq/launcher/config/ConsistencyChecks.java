package dev.haseq.launcher.config;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.config.ConfigProblem;
import dev.haseq.api.config.RaftSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rules that span sections: no two listeners on the same port, and warnings for settings that
 * work but are probably not what the operator wants (state on temporary storage, a Raft port on a
 * public address, Raft without a source of historical blocks).
 */
final class ConsistencyChecks {
    private static final Set<String> WILDCARD = Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0", "*");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");
    private static final List<Path> TEMPORARY = List.of(Path.of("/tmp"), Path.of("/dev/shm"), Path.of("/var/tmp"),
            Path.of("/run"));

    private ConsistencyChecks() {
    }

    private record Listener(String key, String host, int port) {
    }

    static void check(RaftSettings raft, NodeSettings node, RpcSettings rpc, MetricsSettings metrics, P2pSettings p2p,
                      DaSettings da, StorageSettings storage, List<ConfigProblem> errors,
                      List<ConfigProblem> warnings) {
        List<Listener> listeners = new ArrayList<>();
        listeners.add(listener(RaftSettings.RAFT_ADDR, raft.raftAddr()));
        listeners.add(listener(RpcSettings.ADDRESS, rpc.address()));
        if (metrics.enabled()) {
            listeners.add(listener(MetricsSettings.ADDRESS, metrics.address()));
        }
        listeners.add(new Listener(P2pSettings.LISTEN_ADDRESS, p2p.listenAddress().host(), p2p.listenAddress().port()));
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = i + 1; j < listeners.size(); j++) {
                Listener a = listeners.get(i);
                Listener b = listeners.get(j);
                if (a.port() == b.port() && overlap(a.host(), b.host())) {
                    errors.add(new ConfigProblem(b.key(), a.key() + " (" + a.host() + ":" + a.port() + ") and " + b.key()
                            + " (" + b.host() + ":" + b.port() + ") listen on the same port; give each its own port"));
                }
            }
        }

        Path dir = raft.raftDir().toAbsolutePath().normalize();
        if (TEMPORARY.stream().anyMatch(dir::startsWith)) {
            warnings.add(new ConfigProblem(RaftSettings.RAFT_DIR, RaftSettings.RAFT_DIR + " (" + dir + ") is on "
                    + "temporary storage: the Raft state is the node's cluster identity and must survive reboots "
                    + "(fine for a local try-out, not for production)"));
        }
        Path data = storage.dataDir().toAbsolutePath().normalize();
        if (TEMPORARY.stream().anyMatch(data::startsWith) && !TEMPORARY.stream().anyMatch(dir::startsWith)) {
            warnings.add(new ConfigProblem(StorageSettings.DATA_DIR, StorageSettings.DATA_DIR + " (" + data + ") is on "
                    + "temporary storage: the block store must survive reboots like raft_dir"));
        }
        checkRpcPeers(raft, rpc, errors);
        checkRaftExposure(raft, warnings);
        if (node.lazyMode() && !node.aggregator()) {
            warnings.add(new ConfigProblem(NodeSettings.LAZY_MODE, NodeSettings.LAZY_MODE + " has no effect unless "
                    + NodeSettings.AGGREGATOR + " is true (only an aggregator produces blocks)"));
        }
        if (raft.enable() && p2p.peers().isEmpty() && da.provider().isEmpty()) {
            warnings.add(new ConfigProblem(P2pSettings.PEERS, "raft.enable is true but neither " + P2pSettings.PEERS
                    + " nor " + DaSettings.PROVIDER + " is set: a node that falls more than raft.trailing_logs entries "
                    + "behind receives a snapshot and then has nowhere to fetch the historical blocks from; "
                    + "configure P2P on every node (the operator guide, \"Interaction with P2P\")"));
        }
    }

    /**
     * rpc.peers must name raft members other than this node. A member without an entry is allowed
     * (the guide's own config has none); the node logs it at start-up.
     */
    private static void checkRpcPeers(RaftSettings raft, RpcSettings rpc, List<ConfigProblem> errors) {
        for (NodeId id : rpc.peers().keySet()) {
            if (id.equals(raft.nodeId())) {
                errors.add(new ConfigProblem(RpcSettings.PEERS, RpcSettings.PEERS + " lists this node's own node_id ("
                        + id + "): list only the other members"));
            } else if (raft.peer(id).isEmpty()) {
                errors.add(new ConfigProblem(RpcSettings.PEERS, RpcSettings.PEERS + " lists " + id + ", which is not in "
                        + RaftSettings.PEERS + ": use the same node ids as raft.peers"));
            }
        }
    }

    /**
     * The guide's network requirements: Raft traffic is plain TCP without encryption, so the Raft
     * port must never face the public internet. A public IP in raft_addr or raft.peers is most
     * likely a mistake (host names are not resolved, so they are not judged).
     */
    private static void checkRaftExposure(RaftSettings raft, List<ConfigProblem> warnings) {
        String why = ": Raft traffic is plain TCP without encryption, and anyone who reaches the port can send "
                + "forged messages that disrupt the cluster; the guide says never expose it to the public internet. "
                + "Use private addresses inside a private network, VPN or encrypted mesh (WireGuard, Tailscale), "
                + "and firewall the port";
        if (PublicAddresses.isPublic(raft.raftAddr().host())) {
            warnings.add(new ConfigProblem(RaftSettings.RAFT_ADDR, RaftSettings.RAFT_ADDR + " (" + raft.raftAddr()
                    + ") is a public address" + why));
        }
        List<String> exposed = raft.peers().stream().filter(p -> PublicAddresses.isPublic(p.address().host()))
                .map(p -> p.id() + "@" + p.address()).toList();
        if (!exposed.isEmpty()) {
            warnings.add(new ConfigProblem(RaftSettings.PEERS, RaftSettings.PEERS + " reaches "
                    + String.join(", ", exposed) + " at public addresses" + why));
        }
    }

    private static Listener listener(String key, HostPort hp) {
        return new Listener(key, hp.host(), hp.port());
    }

    private static boolean overlap(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return x.equals(y) || WILDCARD.contains(x) || WILDCARD.contains(y)
                || (LOOPBACK.contains(x) && LOOPBACK.contains(y));
    }
}
