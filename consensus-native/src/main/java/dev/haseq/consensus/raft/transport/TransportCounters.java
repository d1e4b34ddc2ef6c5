package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport's own counters (frames, bytes, closes by reason, send failures by kind), kept
 * whatever listener is plugged in, and forwarded to that listener. Thread-safe; reads are
 * point-in-time sums.
 */
public final class TransportCounters implements TransportListener {
    private final TransportListener delegate;
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final Map<CloseReason, LongAdder> closes = new EnumMap<>(CloseReason.class);
    private final Map<SendFailure, LongAdder> sendFailures = new EnumMap<>(SendFailure.class);

    public TransportCounters(TransportListener delegate) {
        this.delegate = delegate;
        for (CloseReason r : CloseReason.values()) {
            closes.put(r, new LongAdder());
        }
        for (SendFailure f : SendFailure.values()) {
            sendFailures.put(f, new LongAdder());
        }
    }

    @Override
    public void frameSent(NodeId peer, int bytes) {
        framesOut.increment();
        bytesOut.add(bytes);
        delegate.frameSent(peer, bytes);
    }

    @Override
    public void frameReceived(NodeId peer, int bytes) {
        framesIn.increment();
        bytesIn.add(bytes);
        delegate.frameReceived(peer, bytes);
    }

    @Override
    public void connected(NodeId peer, boolean inbound) {
        connects.increment();
        delegate.connected(peer, inbound);
    }

    @Override
    public void connectionClosed(Optional<NodeId> peer, boolean inbound, CloseReason reason) {
        closes.get(reason).increment();
        delegate.connectionClosed(peer, inbound, reason);
    }

    @Override
    public void connectFailed(NodeId peer) {
        connectFailures.increment();
        delegate.connectFailed(peer);
    }

    @Override
    public void sendFailed(NodeId peer, SendFailure failure) {
        sendFailures.get(failure).increment();
        delegate.sendFailed(peer, failure);
    }

    public long framesOut() {
        return framesOut.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long framesIn() {
        return framesIn.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Handshakes completed, both directions. */
    public long connects() {
        return connects.sum();
    }

    public long connectFailures() {
        return connectFailures.sum();
    }

    public long closes(CloseReason reason) {
        return closes.get(reason).sum();
    }

    public long sendFailures(SendFailure failure) {
        return sendFailures.get(failure).sum();
    }
}
