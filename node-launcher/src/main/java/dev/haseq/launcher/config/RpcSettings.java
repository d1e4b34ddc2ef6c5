package dev.haseq.launcher.config;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import java.util.Map;

/**
 * The {@code rpc.*} keys: the HTTP API.
 *
 * @param address         host:port to listen on
 * @param maxRequestBytes the largest request body accepted
 * @param peers           the other members' API addresses by node id ({@code rpc.peers}), for
 *                        forwarding transactions from a follower to the leader; may be empty
 */
public record RpcSettings(HostPort address, long maxRequestBytes, Map<NodeId, HostPort> peers) {
    public static final String ADDRESS = "rpc.address";
    public static final String MAX_REQUEST_BYTES = "rpc.max_request_bytes";
    public static final String PEERS = "rpc.peers";

    public RpcSettings {
        if (address == null || peers == null) {
            throw new IllegalArgumentException("rpc address and peers must not be null");
        }
        peers = Map.copyOf(peers);
    }

    static RpcSettings parse(ValueReader r, NodeSettings node) {
        HostPort address = r.hostPort(ADDRESS);
        long maxRequest = r.bytes(MAX_REQUEST_BYTES, 1L << 10, 1L << 30);
        if (r.ok(MAX_REQUEST_BYTES, NodeSettings.MAX_TX_BYTES) && maxRequest < node.maxTxBytes()) {
            r.error(MAX_REQUEST_BYTES, MAX_REQUEST_BYTES + " (" + ByteSizes.format(maxRequest) + ") must be >= "
                    + NodeSettings.MAX_TX_BYTES + " (" + ByteSizes.format(node.maxTxBytes())
                    + "), or the largest allowed transaction cannot be submitted");
        }
        return new RpcSettings(address, maxRequest, r.peerAddresses(PEERS));
    }
}
