package dev.haseq.api.consensus;

import dev.haseq.api.NodeId;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a provider's node-to-node transport counted since its node started, as returned by
 * {@link ConsensusNode#transportStats()} for metrics. Every count is a running total that never
 * decreases while the node lives; a restarted node starts again from zero.
 *
 * <p>Close reasons and send-failure kinds are the provider's own vocabulary, as
 * {@code lower_snake_case} tokens (e.g. {@code garbage}, {@code queue_overflow}); the node exports
 * them as label values, so a provider lists every token it can report (zeros included) and keeps
 * the set small and fixed.
 *
 * @param peers              one entry per configured peer
 * @param unidentifiedCloses connections closed before the remote end identified itself as a
 *                           cluster member (garbage, a stranger, another cluster, a port scan), by
 *                           reason: there is no peer to charge them to
 */
public record TransportStats(List<PeerTraffic> peers, Map<String, Long> unidentifiedCloses) {
    private static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public TransportStats {
        peers = List.copyOf(peers);
        unidentifiedCloses = checkedCounts(unidentifiedCloses, "unidentified close reason");
    }

    /**
     * One peer's totals, both directions.
     *
     * @param connects        handshakes completed with the peer, inbound and outbound
     * @param connectFailures failed dials to the peer (refused, unreachable, timed out)
     * @param closes          closed connections to or from the peer, by reason
     * @param sendFailures    messages for the peer that did not reach its socket, by kind
     */
    public record PeerTraffic(NodeId peer, long framesSent, long bytesSent, long framesReceived, long bytesReceived,
                              long connects, long connectFailures, Map<String, Long> closes,
                              Map<String, Long> sendFailures) {
        public PeerTraffic {
            if (peer == null) {
                throw new IllegalArgumentException("peer traffic needs the peer's id");
            }
            if ((framesSent | bytesSent | framesReceived | bytesReceived | connects | connectFailures) < 0) {
                throw new IllegalArgumentException("transport counts of " + peer + " must not be negative");
            }
            closes = checkedCounts(closes, "close reason");
            sendFailures = checkedCounts(sendFailures, "send failure kind");
        }
    }

    private static Map<String, Long> checkedCounts(Map<String, Long> counts, String what) {
        counts.forEach((token, n) -> {
            if (token == null || !TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException(what + " '" + token
                        + "' must be a lower_snake_case token of at most 64 characters (it becomes a metric label)");
            }
            if (n == null || n < 0) {
                throw new IllegalArgumentException(what + " " + token + " has count " + n + "; counts are >= 0");
            }
        });
        return Map.copyOf(counts);
    }
}
