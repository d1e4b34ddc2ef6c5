package dev.haseq.node.metrics;

import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.TransportStats;
import dev.haseq.api.consensus.TransportStats.PeerTraffic;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The consensus provider's transport counters ({@link ConsensusNode#transportStats()}) as
 * Prometheus counters with a {@code peer} label (and a {@code reason} label for closes and send
 * failures). One read of the provider's totals per scrape, so every family of one scrape is from
 * the same moment. Exports nothing while unbound or when the provider has no transport counters.
 * Thread-safe.
 */
final class TransportMetrics implements MultiCollector {
    /**
     * The {@code peer} label of a connection closed before its remote end identified itself as a
     * member. Parentheses are not allowed in node ids, so it cannot be a real peer's name.
     */
    static final String UNIDENTIFIED = "(unidentified)";

    private static final String PREFIX = "haseq_raft_transport_";
    private static final List<Family> PER_PEER = List.of(
            new Family("sent_frames", "Frames written to each peer's socket", PeerTraffic::framesSent),
            new Family("sent_bytes", "Bytes (frame overhead included) written to each peer", PeerTraffic::bytesSent),
            new Family("received_frames", "Frames received from each peer", PeerTraffic::framesReceived),
            new Family("received_bytes", "Bytes (frame overhead included) received from each peer",
                    PeerTraffic::bytesReceived),
            new Family("connects", "Handshakes completed with each peer, both directions", PeerTraffic::connects),
            new Family("connect_failures", "Failed dials to each peer (refused, unreachable, timed out)",
                    PeerTraffic::connectFailures));
    private static final String CLOSES = PREFIX + "connections_closed";
    private static final String SEND_FAILURES = PREFIX + "send_failures";

    private record Family(String name, String help, ToLongFunction<PeerTraffic> value) {
    }

    private volatile Supplier<Optional<TransportStats>> source = Optional::empty;

    void bind(Supplier<Optional<TransportStats>> stats) {
        this.source = stats;
    }

    @Override
    public MetricSnapshots collect() {
        Optional<TransportStats> read = source.get();
        if (read.isEmpty()) {
            return MetricSnapshots.of();
        }
        TransportStats stats = read.get();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Family f : PER_PEER) {
            CounterSnapshot.Builder c = CounterSnapshot.builder().name(PREFIX + f.name()).help(f.help());
            for (PeerTraffic p : stats.peers()) {
                c.dataPoint(point(f.value().applyAsLong(p), "peer", p.peer().value()));
            }
            out.metricSnapshot(c.build());
        }
        CounterSnapshot.Builder closes = CounterSnapshot.builder().name(CLOSES)
                .help("Connections closed, by peer and reason; peer=\"" + UNIDENTIFIED + "\" for remote ends that "
                        + "never identified themselves as a member (garbage, strangers, another cluster)");
        for (PeerTraffic p : stats.peers()) {
            byReason(closes, p.peer().value(), p.closes());
        }
        byReason(closes, UNIDENTIFIED, stats.unidentifiedCloses());
        out.metricSnapshot(closes.build());
        CounterSnapshot.Builder failures = CounterSnapshot.builder().name(SEND_FAILURES)
                .help("Messages for a peer that never reached its socket, by reason (Raft resends them)");
        for (PeerTraffic p : stats.peers()) {
            byReason(failures, p.peer().value(), p.sendFailures());
        }
        out.metricSnapshot(failures.build());
        return out.build();
    }

    private static void byReason(CounterSnapshot.Builder family, String peer, Map<String, Long> counts) {
        counts.forEach((reason, n) -> family.dataPoint(point(n, "peer", peer, "reason", reason)));
    }

    private static CounterDataPointSnapshot point(long value, String... labels) {
        return CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build();
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new java.util.ArrayList<>();
        PER_PEER.forEach(f -> names.add(PREFIX + f.name()));
        names.add(CLOSES);
        names.add(SEND_FAILURES);
        return names;
    }
}
