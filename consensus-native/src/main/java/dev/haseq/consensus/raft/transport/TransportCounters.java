package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.TransportStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The transport's own counters (frames, bytes, connects, closes by reason, send failures by kind),
 * per peer, kept whatever listener is plugged in, and forwarded to that listener. Thread-safe;
 * reads are point-in-time sums.
 *
 * <p>Only the configured peers get counters of their own (fixed at construction, so a stranger
 * cannot make the set grow); a connection closed before its remote end identified itself as a
 * member is counted as <em>unidentified</em>. {@link #stats()} exports everything, zeros included,
 * in the SPI's vocabulary (reasons as lower-case enum names).
 */
public final class TransportCounters implements TransportListener {
    private final TransportListener delegate;
    private final Map<NodeId, PeerCounters> peers = new LinkedHashMap<>();
    /** Events without a member to charge them to (only closes happen here in practice). */
    private final PeerCounters unidentified = new PeerCounters();

    /** @param peers the configured peers, in the order {@link #stats()} lists them */
    public TransportCounters(Collection<NodeId> peers, TransportListener delegate) {
        this.delegate = delegate;
        for (NodeId p : peers) {
            this.peers.put(p, new PeerCounters());
        }
    }

    /** One peer's adders; the maps are filled at construction and only read afterwards. */
    private static final class PeerCounters {
        final LongAdder framesOut = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
        final LongAdder framesIn = new LongAdder();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder connects = new LongAdder();
        final LongAdder connectFailures = new LongAdder();
        final Map<CloseReason, LongAdder> closes = new EnumMap<>(CloseReason.class);
        final Map<SendFailure, LongAdder> sendFailures = new EnumMap<>(SendFailure.class);

        PeerCounters() {
            for (CloseReason r : CloseReason.values()) {
                closes.put(r, new LongAdder());
            }
            for (SendFailure f : SendFailure.values()) {
                sendFailures.put(f, new LongAdder());
            }
        }
    }

    private PeerCounters of(NodeId peer) {
        PeerCounters c = peers.get(peer);
        return c == null ? unidentified : c;
    }

    @Override
    public void frameSent(NodeId peer, int bytes) {
        PeerCounters c = of(peer);
        c.framesOut.increment();
        c.bytesOut.add(bytes);
        delegate.frameSent(peer, bytes);
    }

    @Override
    public void frameReceived(NodeId peer, int bytes) {
        PeerCounters c = of(peer);
        c.framesIn.increment();
        c.bytesIn.add(bytes);
        delegate.frameReceived(peer, bytes);
    }

    @Override
    public void connected(NodeId peer, boolean inbound) {
        of(peer).connects.increment();
        delegate.connected(peer, inbound);
    }

    @Override
    public void connectionClosed(Optional<NodeId> peer, boolean inbound, CloseReason reason) {
        (peer.isPresent() ? of(peer.get()) : unidentified).closes.get(reason).increment();
        delegate.connectionClosed(peer, inbound, reason);
    }

    @Override
    public void connectFailed(NodeId peer) {
        of(peer).connectFailures.increment();
        delegate.connectFailed(peer);
    }

    @Override
    public void sendFailed(NodeId peer, SendFailure failure) {
        of(peer).sendFailures.get(failure).increment();
        delegate.sendFailed(peer, failure);
    }

    private long sum(ToLongFunction<PeerCounters> f) {
        long total = f.applyAsLong(unidentified);
        for (PeerCounters c : peers.values()) {
            total += f.applyAsLong(c);
        }
        return total;
    }

    public long framesOut() {
        return sum(c -> c.framesOut.sum());
    }

    public long bytesOut() {
        return sum(c -> c.bytesOut.sum());
    }

    public long framesIn() {
        return sum(c -> c.framesIn.sum());
    }

    public long bytesIn() {
        return sum(c -> c.bytesIn.sum());
    }

    /** Handshakes completed, both directions. */
    public long connects() {
        return sum(c -> c.connects.sum());
    }

    public long connectFailures() {
        return sum(c -> c.connectFailures.sum());
    }

    /** Closes for {@code reason}, every peer and the unidentified ones together. */
    public long closes(CloseReason reason) {
        return sum(c -> c.closes.get(reason).sum());
    }

    public long sendFailures(SendFailure failure) {
        return sum(c -> c.sendFailures.get(failure).sum());
    }

    /** Everything, per peer, in the SPI's shape (every reason and kind listed, zeros included). */
    public TransportStats stats() {
        List<TransportStats.PeerTraffic> traffic = new ArrayList<>(peers.size());
        peers.forEach((id, c) -> traffic.add(new TransportStats.PeerTraffic(id, c.framesOut.sum(), c.bytesOut.sum(),
                c.framesIn.sum(), c.bytesIn.sum(), c.connects.sum(), c.connectFailures.sum(), tokens(c.closes),
                tokens(c.sendFailures))));
        return new TransportStats(traffic, tokens(unidentified.closes));
    }

    private static <E extends Enum<E>> Map<String, Long> tokens(Map<E, LongAdder> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k.name().toLowerCase(Locale.ROOT), v.sum()));
        return out;
    }
}
