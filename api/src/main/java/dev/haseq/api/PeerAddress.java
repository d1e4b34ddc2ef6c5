package dev.haseq.api;

/**
 * A cluster member as listed in {@code raft.peers}: {@code nodeID@host:port}, where host:port is
 * the member's Raft address as reachable from this node.
 */
public record PeerAddress(NodeId id, HostPort address) {

    public PeerAddress {
        if (id == null || address == null) {
            throw new IllegalArgumentException("a peer needs an id and an address");
        }
    }

    /** Parses {@code node-2@10.0.0.2:5001}; surrounding white space is ignored. */
    public static PeerAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("expected nodeID@host:port, got nothing");
        }
        String s = text.strip();
        int at = s.indexOf('@');
        if (at <= 0 || at != s.lastIndexOf('@') || at == s.length() - 1) {
            throw new IllegalArgumentException("expected nodeID@host:port, got '" + s + "'");
        }
        NodeId id;
        try {
            id = NodeId.of(s.substring(0, at));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad node id in '" + s + "': " + e.getMessage(), e);
        }
        HostPort hp;
        try {
            hp = HostPort.parse(s.substring(at + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad address in '" + s + "': " + e.getMessage(), e);
        }
        return new PeerAddress(id, hp);
    }

    @Override
    public String toString() {
        return id + "@" + address;
    }
}
