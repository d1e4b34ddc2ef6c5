package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects delivered payloads for assertions. */
final class RecordingHandler implements MessageHandler {
    record Received(NodeId from, byte[] payload) {
    }

    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(NodeId from, byte[] payload) {
        received.add(new Received(from, payload));
    }

    Received next(Duration timeout) throws InterruptedException {
        Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no message within " + timeout);
        }
        return r;
    }

    List<Received> take(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> out = new ArrayList<>();
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            Received r = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("only " + out.size() + " of " + n + " messages within " + timeout);
            }
            out.add(r);
        }
        return out;
    }
}
