package dev.haseq.node.api;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP API settings.
 *
 * @param host              {@code rpc.address} host: the interface the API listens on
 * @param port              {@code rpc.address} port (0: any free port, for tests)
 * @param maxRequestBytes   largest request body accepted; larger requests get 413
 * @param commitWaitTimeout how long {@code POST /tx?wait=commit} waits for inclusion before 504
 * @param retryAfter        the Retry-After given with 503 (mempool full, no leader)
 * @param maxBlockRange     most blocks one {@code GET /blocks?from=&to=} returns
 * @param rpcPeers          the other members' RPC addresses by node id ({@code rpc.peers}), used to
 *                          forward {@code POST /tx} from a follower to the leader
 */
public record HttpApiSettings(String host, int port, int maxRequestBytes, Duration commitWaitTimeout, Duration retryAfter,
                              int maxBlockRange, Map<NodeId, HostPort> rpcPeers) {

    public HttpApiSettings {
        if (host == null || host.isBlank() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("rpc.address must be host:port with a port 0-65535, got " + host + ":" + port);
        }
        if (commitWaitTimeout == null || retryAfter == null || rpcPeers == null) {
            throw new IllegalArgumentException("HTTP API settings must not be null");
        }
        if (maxRequestBytes < 1 || maxBlockRange < 1) {
            throw new IllegalArgumentException("maxRequestBytes and maxBlockRange must be positive, got "
                    + maxRequestBytes + " and " + maxBlockRange);
        }
        if (commitWaitTimeout.isNegative() || commitWaitTimeout.isZero() || retryAfter.isNegative()) {
            throw new IllegalArgumentException("commitWaitTimeout must be positive and retryAfter not negative");
        }
        rpcPeers = Map.copyOf(rpcPeers);
    }

    public static HttpApiSettings defaults(HostPort address) {
        return new HttpApiSettings(address.host(), address.port(), 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(1), 100, Map.of());
    }

    /** Retry-After in whole seconds, at least 1 (the header has no finer unit). */
    long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
