package dev.haseq.launcher.config;

import java.util.Set;

/**
 * A P2P address in multiaddr form, as the operator guide writes {@code p2p.*}:
 * {@code /ip4/<addr>/tcp/<port>}, optionally followed by {@code /p2p/<peer id>}; {@code ip6},
 * {@code dns}, {@code dns4} and {@code dns6} work in place of {@code ip4}.
 *
 * @param text   the address as written
 * @param host   the address or name after the protocol
 * @param port   the TCP port
 * @param peerId the {@code /p2p/} part, or empty
 */
public record Multiaddr(String text, String host, int port, String peerId) {
    private static final Set<String> HOST_PROTOCOLS = Set.of("ip4", "ip6", "dns", "dns4", "dns6");

    public Multiaddr {
        if (text == null || host == null || peerId == null) {
            throw new IllegalArgumentException("Multiaddr fields must not be null; use Multiaddr.parse");
        }
    }

    public static Multiaddr parse(String text) {
        String s = text == null ? "" : text.strip();
        String expected = "; expected /ip4/<address>/tcp/<port>[/p2p/<peer id>], e.g. /ip4/10.0.0.2/tcp/26656";
        if (!s.startsWith("/")) {
            throw new IllegalArgumentException("'" + s + "' is not a multiaddr" + expected);
        }
        String[] p = s.substring(1).split("/", -1);
        if (p.length != 4 && p.length != 6) {
            throw new IllegalArgumentException("'" + s + "' has " + p.length + " parts" + expected);
        }
        if (!HOST_PROTOCOLS.contains(p[0]) || p[1].isBlank()) {
            throw new IllegalArgumentException("'" + s + "' must start with /ip4/, /ip6/, /dns/, /dns4/ or /dns6/ and an address"
                    + expected);
        }
        if (!p[2].equals("tcp")) {
            throw new IllegalArgumentException("'" + s + "' must use /tcp/<port>" + expected);
        }
        int port;
        try {
            port = Integer.parseInt(p[3]);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + s + "' has port '" + p[3] + "', not 1-65535" + expected);
        }
        String peer = "";
        if (p.length == 6) {
            if (!p[4].equals("p2p") || p[5].isBlank()) {
                throw new IllegalArgumentException("'" + s + "' may end only with /p2p/<peer id>" + expected);
            }
            peer = p[5];
        }
        return new Multiaddr(s, p[1], port, peer);
    }

    @Override
    public String toString() {
        return text;
    }
}
