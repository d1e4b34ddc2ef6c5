package dev.haseq.launcher.config;

import java.util.List;

/**
 * The {@code p2p.*} keys: block sync between nodes.
 *
 * @param listenAddress where this node serves blocks to its peers
 * @param peers         nodes to fetch historical blocks from; may be empty
 */
public record P2pSettings(Multiaddr listenAddress, List<Multiaddr> peers) {
    public static final String LISTEN_ADDRESS = "p2p.listen_address";
    public static final String PEERS = "p2p.peers";

    public P2pSettings {
        if (listenAddress == null || peers == null) {
            throw new IllegalArgumentException("P2pSettings fields must not be null");
        }
        peers = List.copyOf(peers);
    }

    static P2pSettings parse(ValueReader r) {
        return new P2pSettings(r.multiaddr(LISTEN_ADDRESS), r.multiaddrs(PEERS));
    }
}
