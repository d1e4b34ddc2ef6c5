package dev.haseq.api.config;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code raft.*} key of the operator guide, typed, plus haseq's {@code raft.provider} and
 * {@code raft.log_store}. Build one with {@link #parse}, which applies the guide's defaults and
 * rules; the constructor only checks nulls.
 *
 * <p>With {@code raft.enable: false} the node runs as a single sequencer: a one-member cluster
 * named {@code raft.node_id} (default {@value #SINGLE_NODE_ID}) that listens on
 * {@code raft.raft_addr} (default {@value #SINGLE_NODE_ADDR}) and has no peers.
 */
public record RaftSettings(boolean enable, NodeId nodeId, HostPort raftAddr, Path raftDir, List<PeerAddress> peers,
                           boolean bootstrap, Duration heartbeatTimeout, Duration electionTimeout,
                           Duration leaderLeaseTimeout, Duration sendTimeout, long snapshotThreshold,
                           long trailingLogs, int snapCount, String provider, String logStore) {

    public static final String ENABLE = "raft.enable";
    public static final String NODE_ID = "raft.node_id";
    public static final String RAFT_ADDR = "raft.raft_addr";
    public static final String RAFT_DIR = "raft.raft_dir";
    public static final String PEERS = "raft.peers";
    public static final String BOOTSTRAP = "raft.bootstrap";
    public static final String HEARTBEAT_TIMEOUT = "raft.heartbeat_timeout";
    public static final String ELECTION_TIMEOUT = "raft.election_timeout";
    public static final String LEADER_LEASE_TIMEOUT = "raft.leader_lease_timeout";
    public static final String SEND_TIMEOUT = "raft.send_timeout";
    public static final String SNAPSHOT_THRESHOLD = "raft.snapshot_threshold";
    public static final String TRAILING_LOGS = "raft.trailing_logs";
    public static final String SNAP_COUNT = "raft.snap_count";
    public static final String PROVIDER = "raft.provider";
    public static final String LOG_STORE = "raft.log_store";
    /** Not a raft key, but {@code raft.enable} requires it. */
    public static final String NODE_AGGREGATOR = "node.aggregator";

    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofMillis(350);
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(1000);
    public static final Duration DEFAULT_LEADER_LEASE_TIMEOUT = Duration.ofMillis(175);
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofMillis(200);
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 500;
    public static final long DEFAULT_TRAILING_LOGS = 200;
    public static final int DEFAULT_SNAP_COUNT = 3;
    public static final String DEFAULT_PROVIDER = "native";
    public static final String DEFAULT_LOG_STORE = "chronicle";
    /** The default {@code raft_dir}, relative to the node's home directory. */
    public static final String DEFAULT_RAFT_DIR_IN_HOME = "raft";
    public static final String SINGLE_NODE_ID = "node-1";
    public static final String SINGLE_NODE_ADDR = "127.0.0.1:5001";

    /** Every key {@link #parse} reads, in the guide's order. */
    public static final List<String> KEYS = List.of(ENABLE, NODE_ID, RAFT_ADDR, RAFT_DIR, PEERS, BOOTSTRAP,
            HEARTBEAT_TIMEOUT, ELECTION_TIMEOUT, LEADER_LEASE_TIMEOUT, SEND_TIMEOUT, SNAPSHOT_THRESHOLD,
            TRAILING_LOGS, SNAP_COUNT, PROVIDER, LOG_STORE);

    public RaftSettings {
        if (nodeId == null || raftAddr == null || raftDir == null || peers == null || heartbeatTimeout == null
                || electionTimeout == null || leaderLeaseTimeout == null || sendTimeout == null
                || provider == null || logStore == null) {
            throw new IllegalArgumentException("RaftSettings fields must not be null; build it with RaftSettings.parse");
        }
        peers = List.copyOf(peers);
    }

    /** Voting members: this node plus its peers. */
    public int clusterSize() {
        return peers.size() + 1;
    }

    /** The votes needed to elect a leader or commit an entry. */
    public int quorum() {
        return clusterSize() / 2 + 1;
    }

    /** The peer with this id, if listed. */
    public Optional<PeerAddress> peer(NodeId id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The result of {@link #parse}: settings when there are no errors, plus every problem found. */
    public record Parsed(Optional<RaftSettings> settings, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        public Parsed {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }

        /** The settings, or a {@link ConfigException} listing every error. */
        public RaftSettings orThrow() {
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return settings.orElseThrow();
        }
    }

    /**
     * Builds settings from flat string values ({@code raft.heartbeat_timeout -> "92ms"}). Keys that
     * are absent take the guide's defaults. Every rule of the guide is checked and every violation
     * reported, each naming its key and the fix.
     *
     * @param values    raw values by full key; {@link #NODE_AGGREGATOR} is read too
     * @param home      the node's home directory ({@code raft_dir} defaults to {@code <home>/raft})
     */
    public static Parsed parse(Map<String, String> values, Path home) {
        return new Parser(values, home).parse();
    }

    /** The defaults as flat strings, for documentation and {@code config check}. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>();
        d.put(ENABLE, "false");
        d.put(RAFT_DIR, "<home>/" + DEFAULT_RAFT_DIR_IN_HOME);
        d.put(PEERS, "");
        d.put(BOOTSTRAP, "false");
        d.put(HEARTBEAT_TIMEOUT, Durations.format(DEFAULT_HEARTBEAT_TIMEOUT));
        d.put(ELECTION_TIMEOUT, Durations.format(DEFAULT_ELECTION_TIMEOUT));
        d.put(LEADER_LEASE_TIMEOUT, Durations.format(DEFAULT_LEADER_LEASE_TIMEOUT));
        d.put(SEND_TIMEOUT, Durations.format(DEFAULT_SEND_TIMEOUT));
        d.put(SNAPSHOT_THRESHOLD, Long.toString(DEFAULT_SNAPSHOT_THRESHOLD));
        d.put(TRAILING_LOGS, Long.toString(DEFAULT_TRAILING_LOGS));
        d.put(SNAP_COUNT, Integer.toString(DEFAULT_SNAP_COUNT));
        d.put(PROVIDER, DEFAULT_PROVIDER);
        d.put(LOG_STORE, DEFAULT_LOG_STORE);
        return d;
    }

    private static final class Parser {
        private final Map<String, String> values;
        private final Path home;
        private final List<ConfigProblem> errors = new ArrayList<>();
        private final List<ConfigProblem> warnings = new ArrayList<>();

        Parser(Map<String, String> values, Path home) {
            this.values = values;
            this.home = home;
        }

        private Optional<String> raw(String key) {
            String v = values.get(key);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
        }

        private void error(String key, String message) {
            errors.add(new ConfigProblem(key, message));
        }

        private boolean bool(String key, boolean dflt) {
            Optional<String> v = raw(key);
            if (v.isEmpty()) {
                return dflt;
            }
            return switch (v.get().toLowerCase()) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> {
                    error(key, key + " must be true or false, got '" + v.get() + "'");
                    yield dflt;
                }
            };
        }

        private Duration duration(String key, Duration dflt) {
            Optional<String> v = raw(key);
            if (v.isEmpty()) {
                return dflt;
            }
            try {
                Duration d = Durations.parse(v.get());
                if (d.isZero() || d.isNegative()) {
                    error(key, key + " must be positive, got '" + v.get() + "' (default " + Durations.format(dflt) + ")");
                    return dflt;
                }
                return d;
            } catch (IllegalArgumentException e) {
                error(key, key + ": " + e.getMessage());
                return dflt;
            }
        }

        private long number(String key, long dflt, long min) {
            Optional<String> v = raw(key);
            if (v.isEmpty()) {
                return dflt;
            }
            try {
                long n = Long.parseLong(v.get().replace("_", ""));
                if (n < min) {
                    error(key, key + " must be >= " + min + ", got " + n + " (default " + dflt + ")");
                    return dflt;
                }
                return n;
            } catch (NumberFormatException e) {
                error(key, key + " must be a whole number, got '" + v.get() + "' (default " + dflt + ")");
                return dflt;
            }
        }

        private String name(String key, String dflt) {
            String v = raw(key).orElse(dflt);
            if (!v.matches("[a-z0-9][a-z0-9_-]*")) {
                error(key, key + " must be a provider name such as '" + dflt + "', got '" + v + "'");
                return dflt;
            }
            return v;
        }

        Parsed parse() {
            boolean enable = bool(ENABLE, false);
            boolean aggregator = bool(NODE_AGGREGATOR, false);
            if (enable && !aggregator) {
                error(ENABLE, ENABLE + " requires " + NODE_AGGREGATOR + ": true (every Raft member is an aggregator); "
                        + "set node.aggregator: true or disable raft");
            }

            NodeId nodeId = nodeId(enable);
            HostPort raftAddr = raftAddr(enable);
            Path raftDir = raw(RAFT_DIR).map(Path::of).orElse(home.resolve(DEFAULT_RAFT_DIR_IN_HOME));
            List<PeerAddress> peers = peers(enable, nodeId);
            boolean bootstrap = bool(BOOTSTRAP, false);

            Duration heartbeat = duration(HEARTBEAT_TIMEOUT, DEFAULT_HEARTBEAT_TIMEOUT);
            Duration election = duration(ELECTION_TIMEOUT, DEFAULT_ELECTION_TIMEOUT);
            Duration lease = duration(LEADER_LEASE_TIMEOUT, DEFAULT_LEADER_LEASE_TIMEOUT);
            Duration send = duration(SEND_TIMEOUT, DEFAULT_SEND_TIMEOUT);
            if (election.compareTo(heartbeat) < 0) {
                error(ELECTION_TIMEOUT, ELECTION_TIMEOUT + " (" + Durations.format(election) + ") must be >= "
                        + HEARTBEAT_TIMEOUT + " (" + Durations.format(heartbeat)
                        + "); the guide suggests 4 x heartbeat_timeout (" + Durations.format(heartbeat.multipliedBy(4)) + ")");
            }
            if (lease.compareTo(election) >= 0) {
                error(LEADER_LEASE_TIMEOUT, LEADER_LEASE_TIMEOUT + " (" + Durations.format(lease) + ") must be < "
                        + ELECTION_TIMEOUT + " (" + Durations.format(election)
                        + "), or a deposed leader may still believe it leads; the guide suggests heartbeat_timeout / 2 ("
                        + Durations.format(heartbeat.dividedBy(2)) + ")");
            } else {
                formulaWarnings(heartbeat, election, lease, send);
            }
            long threshold = number(SNAPSHOT_THRESHOLD, DEFAULT_SNAPSHOT_THRESHOLD, 1);
            long trailing = number(TRAILING_LOGS, DEFAULT_TRAILING_LOGS, 0);
            int snapCount = (int) Math.min(Integer.MAX_VALUE, number(SNAP_COUNT, DEFAULT_SNAP_COUNT, 1));
            String provider = name(PROVIDER, DEFAULT_PROVIDER);
            String logStore = name(LOG_STORE, DEFAULT_LOG_STORE);

            if (enable && nodeId != null && (peers.size() + 1) % 2 == 0) {
                int n = peers.size() + 1;
                warn(PEERS, "the cluster has " + n + " members (" + PEERS
                        + " plus this node), an even number: it tolerates no more failures than " + (n - 1)
                        + " members would; run an odd number (3 or 5)");
            }
            if (!errors.isEmpty()) {
                return new Parsed(Optional.empty(), errors, warnings);
            }
            RaftSettings s = new RaftSettings(enable, nodeId, raftAddr, raftDir, peers, bootstrap, heartbeat, election,
                    lease, send, threshold, trailing, snapCount, provider, logStore);
            return new Parsed(Optional.of(s), errors, warnings);
        }

        /**
         * Timeouts far from the guide's formulas (heartbeat = 4-5 x RTT_MAX, election = 4 x
         * heartbeat, lease = heartbeat / 2, send = 2-3 x RTT_MAX, i.e. about heartbeat / 2): each
         * ratio more than a factor of ~2 off is a warning that says what it costs. The bounds leave
         * the guide's defaults (350/1000/175/200 ms) and its production example (92/368/46/50 ms)
         * silent. Only called when the timings passed the rules that are errors.
         */
        private void formulaWarnings(Duration heartbeat, Duration election, Duration lease, Duration send) {
            String hb = HEARTBEAT_TIMEOUT + " (" + Durations.format(heartbeat) + ")";
            if (election.compareTo(heartbeat) >= 0 && election.compareTo(heartbeat.multipliedBy(2)) < 0) {
                warn(ELECTION_TIMEOUT, ELECTION_TIMEOUT + " (" + Durations.format(election) + ") is less than twice "
                        + hb + ": a candidate gives up on a vote the network merely delayed and starts another term; "
                        + "the guide suggests 4 x heartbeat_timeout (" + Durations.format(heartbeat.multipliedBy(4)) + ")");
            } else if (election.compareTo(heartbeat.multipliedBy(10)) > 0) {
                warn(ELECTION_TIMEOUT, ELECTION_TIMEOUT + " (" + Durations.format(election) + ") is more than 10 x "
                        + hb + ": a split vote leaves the cluster without a leader that long; "
                        + "the guide suggests 4 x heartbeat_timeout (" + Durations.format(heartbeat.multipliedBy(4)) + ")");
            }
            if (lease.compareTo(heartbeat.dividedBy(2)) > 0) {
                warn(LEADER_LEASE_TIMEOUT, LEADER_LEASE_TIMEOUT + " (" + Durations.format(lease) + ") is above half of "
                        + hb + "; the guide suggests about " + Durations.format(heartbeat.dividedBy(2)));
            } else if (lease.compareTo(heartbeat.dividedBy(8)) < 0) {
                warn(LEADER_LEASE_TIMEOUT, LEADER_LEASE_TIMEOUT + " (" + Durations.format(lease) + ") is below "
                        + hb + " / 8: a leader steps down whenever one acknowledgement round is a little late; "
                        + "the guide suggests about heartbeat_timeout / 2 (" + Durations.format(heartbeat.dividedBy(2)) + ")");
            }
            if (send.compareTo(heartbeat) >= 0) {
                warn(SEND_TIMEOUT, SEND_TIMEOUT + " (" + Durations.format(send) + ") is not below " + hb
                        + ": followers give up on the leader before it notices that a send failed; the guide's formulas "
                        + "put it at about heartbeat_timeout / 2 (" + Durations.format(heartbeat.dividedBy(2)) + ")");
            } else if (send.compareTo(heartbeat.dividedBy(8)) < 0) {
                warn(SEND_TIMEOUT, SEND_TIMEOUT + " (" + Durations.format(send) + ") is below " + hb
                        + " / 8, under one round trip by the guide's formulas: sends count as failed while the "
                        + "network is merely slow; the guide's formulas put it at about heartbeat_timeout / 2 ("
                        + Durations.format(heartbeat.dividedBy(2)) + ")");
            }
        }

        private void warn(String key, String message) {
            warnings.add(new ConfigProblem(key, message));
        }

        private NodeId nodeId(boolean enable) {
            Optional<String> v = raw(NODE_ID);
            if (v.isEmpty()) {
                if (enable) {
                    error(NODE_ID, NODE_ID + " is required when raft.enable is true: give every node a unique, "
                            + "stable name, e.g. node_id: \"node-1\"");
                    return null;
                }
                return NodeId.of(SINGLE_NODE_ID);
            }
            try {
                return NodeId.of(v.get());
            } catch (IllegalArgumentException e) {
                error(NODE_ID, NODE_ID + ": " + e.getMessage());
                return null;
            }
        }

        private HostPort raftAddr(boolean enable) {
            Optional<String> v = raw(RAFT_ADDR);
            if (v.isEmpty()) {
                if (enable) {
                    error(RAFT_ADDR, RAFT_ADDR + " is required when raft.enable is true: the TCP address to listen on "
                            + "for Raft traffic, e.g. raft_addr: \"0.0.0.0:5001\"");
                    return null;
                }
                return HostPort.parse(SINGLE_NODE_ADDR);
            }
            try {
                return HostPort.parse(v.get());
            } catch (IllegalArgumentException e) {
                error(RAFT_ADDR, RAFT_ADDR + " '" + v.get() + "' is not host:port (" + e.getMessage()
                        + "), e.g. raft_addr: \"0.0.0.0:5001\"");
                return null;
            }
        }

        private List<PeerAddress> peers(boolean enable, NodeId self) {
            Optional<String> v = raw(PEERS);
            List<PeerAddress> peers = new ArrayList<>();
            if (v.isEmpty()) {
                if (enable) {
                    error(PEERS, PEERS + " is required when raft.enable is true: list the other members as "
                            + "nodeID@host:port, comma-separated, e.g. peers: \"node-2@10.0.0.2:5001,node-3@10.0.0.3:5001\"; "
                            + "to run a single sequencer, set raft.enable: false");
                }
                return peers;
            }
            Set<NodeId> ids = new HashSet<>();
            Set<String> addrs = new HashSet<>();
            for (String part : v.get().split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    error(PEERS, PEERS + " has an empty entry (two commas in a row, or a trailing comma): list peers "
                            + "as nodeID@host:port separated by commas");
                    continue;
                }
                PeerAddress peer;
                try {
                    peer = PeerAddress.parse(p);
                } catch (IllegalArgumentException e) {
                    error(PEERS, PEERS + " entry '" + p + "' is malformed: " + e.getMessage()
                            + "; expected nodeID@host:port, e.g. node-2@10.0.0.2:5001");
                    continue;
                }
                if (peer.id().equals(self)) {
                    error(PEERS, PEERS + " lists this node's own node_id (" + self + "): list only the other "
                            + "members; remove '" + p + "'");
                    continue;
                }
                if (!ids.add(peer.id())) {
                    error(PEERS, PEERS + " lists node id " + peer.id() + " twice: every member needs a unique id");
                    continue;
                }
                if (!addrs.add(peer.address().toString().toLowerCase())) {
                    error(PEERS, PEERS + " lists address " + peer.address() + " twice: every member needs its own "
                            + "Raft address");
                    continue;
                }
                peers.add(peer);
            }
            if (!enable && !peers.isEmpty()) {
                warn(PEERS, PEERS + " is set but raft.enable is false: the node runs alone "
                        + "and ignores its peers");
                return List.of();
            }
            return peers;
        }
    }
}
