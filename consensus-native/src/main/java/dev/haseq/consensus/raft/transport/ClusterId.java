package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * Derives the cluster id two transports compare in their handshake. It depends only on the
 * sorted set of member node ids, not on addresses: addresses differ by point of view (a node binds
 * {@code 0.0.0.0:5001} while its peers dial {@code 10.0.0.2:5001}), member ids do not. So two
 * clusters with the same member names are indistinguishable here; give the cluster an explicit
 * id ({@link TransportConfig#withClusterId}) to tell such clusters apart.
 */
public final class ClusterId {
    private ClusterId() {
    }

    /** {@code raft-} + the first 16 hex digits of SHA-256 over the sorted ids joined by commas. */
    public static String derive(Collection<NodeId> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a cluster has at least one member");
        }
        TreeSet<NodeId> sorted = new TreeSet<>(members);
        StringBuilder sb = new StringBuilder();
        for (NodeId id : sorted) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(id.value());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return "raft-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
