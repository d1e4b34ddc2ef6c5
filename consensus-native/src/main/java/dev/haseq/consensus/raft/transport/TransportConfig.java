package dev.haseq.consensus.raft.transport;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.RaftSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of one {@link NettyTransport}.
 *
 * @param self               this node's id (sent in the handshake)
 * @param bindAddress        where to listen ({@code raft.raft_addr}); port 0 picks a free port
 * @param peers              the other members and the addresses to dial them at ({@code raft.peers});
 *                           independent of what they bind to
 * @param clusterId          compared in the handshake; by default {@link ClusterId#derive} of the members
 * @param maxPayloadBytes    the largest payload sent or accepted; a bigger incoming frame closes the connection
 * @param connectTimeout     how long one dial attempt may take
 * @param handshakeTimeout   how long a new connection may take to complete its handshake
 * @param reconnectMin       first retry delay after a failed dial or a lost connection
 * @param reconnectMax       cap of the exponential retry delay
 * @param outboundQueueLimit messages kept per peer while it is unreachable or slow (oldest dropped beyond)
 * @param ioThreads          event-loop threads (1 is plenty for a 5-node cluster)
 */
public record TransportConfig(NodeId self, HostPort bindAddress, List<PeerAddress> peers, String clusterId,
                              int maxPayloadBytes, Duration connectTimeout, Duration handshakeTimeout,
                              Duration reconnectMin, Duration reconnectMax, int outboundQueueLimit, int ioThreads) {

    /** Default payload cap: 16 MiB, room for a large append batch or a snapshot chunk. */
    public static final int DEFAULT_MAX_PAYLOAD = 16 << 20;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(20);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(1);
    public static final int DEFAULT_QUEUE_LIMIT = 4096;

    public TransportConfig {
        if (self == null || bindAddress == null || peers == null || clusterId == null || connectTimeout == null
                || handshakeTimeout == null || reconnectMin == null || reconnectMax == null) {
            throw new IllegalArgumentException("transport config fields must not be null");
        }
        peers = List.copyOf(peers);
        Set<NodeId> ids = new HashSet<>();
        for (PeerAddress p : peers) {
            if (p.id().equals(self)) {
                throw new IllegalArgumentException("peers list this node's own id " + self + ": list only the others");
            }
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("peers list node id " + p.id() + " twice");
            }
        }
        if (clusterId.isBlank() || clusterId.length() > Handshake.MAX_CLUSTER_ID_BYTES) {
            throw new IllegalArgumentException("cluster id must be 1-" + Handshake.MAX_CLUSTER_ID_BYTES
                    + " characters, got '" + clusterId + "'");
        }
        if (maxPayloadBytes < 1024) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 1024, got " + maxPayloadBytes);
        }
        if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("need 0 < reconnectMin <= reconnectMax, got " + reconnectMin + " and "
                    + reconnectMax);
        }
        if (outboundQueueLimit < 1 || ioThreads < 1) {
            throw new IllegalArgumentException("outboundQueueLimit and ioThreads must be >= 1");
        }
    }

    /** Defaults for everything but the endpoints; the cluster id is derived from the member ids. */
    public static TransportConfig of(NodeId self, HostPort bindAddress, List<PeerAddress> peers) {
        List<NodeId> members = new ArrayList<>();
        members.add(self);
        peers.forEach(p -> members.add(p.id()));
        return new TransportConfig(self, bindAddress, peers, ClusterId.derive(members), DEFAULT_MAX_PAYLOAD,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX,
                DEFAULT_QUEUE_LIMIT, 1);
    }

    /**
     * From the node's Raft settings: binds {@code raft_addr}, dials {@code peers}; a dial may take
     * up to the election timeout (a peer slower than that to accept is as good as down).
     */
    public static TransportConfig from(RaftSettings settings) {
        TransportConfig c = of(settings.nodeId(), settings.raftAddr(), settings.peers());
        return c.withConnectTimeout(settings.electionTimeout());
    }

    public TransportConfig withClusterId(String id) {
        return new TransportConfig(self, bindAddress, peers, id, maxPayloadBytes, connectTimeout, handshakeTimeout,
                reconnectMin, reconnectMax, outboundQueueLimit, ioThreads);
    }

    public TransportConfig withMaxPayloadBytes(int max) {
        return new TransportConfig(self, bindAddress, peers, clusterId, max, connectTimeout, handshakeTimeout,
                reconnectMin, reconnectMax, outboundQueueLimit, ioThreads);
    }

    public TransportConfig withConnectTimeout(Duration d) {
        return new TransportConfig(self, bindAddress, peers, clusterId, maxPayloadBytes, d, handshakeTimeout,
                reconnectMin, reconnectMax, outboundQueueLimit, ioThreads);
    }

    public TransportConfig withHandshakeTimeout(Duration d) {
        return new TransportConfig(self, bindAddress, peers, clusterId, maxPayloadBytes, connectTimeout, d,
                reconnectMin, reconnectMax, outboundQueueLimit, ioThreads);
    }

    public TransportConfig withReconnect(Duration min, Duration max) {
        return new TransportConfig(self, bindAddress, peers, clusterId, maxPayloadBytes, connectTimeout,
                handshakeTimeout, min, max, outboundQueueLimit, ioThreads);
    }

    public TransportConfig withOutboundQueueLimit(int limit) {
        return new TransportConfig(self, bindAddress, peers, clusterId, maxPayloadBytes, connectTimeout,
                handshakeTimeout, reconnectMin, reconnectMax, limit, ioThreads);
    }

    public TransportConfig withIoThreads(int threads) {
        return new TransportConfig(self, bindAddress, peers, clusterId, maxPayloadBytes, connectTimeout,
                handshakeTimeout, reconnectMin, reconnectMax, outboundQueueLimit, threads);
    }

    /** Whether {@code id} is one of the peers (this node excluded). */
    public boolean isPeer(NodeId id) {
        return peers.stream().anyMatch(p -> p.id().equals(id));
    }
}
