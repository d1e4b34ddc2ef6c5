package dev.haseq.it.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady transaction load: a few client threads each submit distinct {@code set} transactions
 * with {@code ?wait=commit}, spreading them over the live nodes (followers forward to the
 * leader). A transaction that gets no commit answer (node killed, no leader, timeout) is resubmitted
 * to the next node until it is acknowledged; duplicates are recognised by hash, so resubmitting is
 * safe. Records every acknowledged transaction's hash and height. Bounded: at most
 * {@code maxTxsPerThread} per thread, and {@link #stop} waits a bounded time for the threads.
 */
final class TxLoad implements AutoCloseable {
    /** hash → height, of every transaction acknowledged with status committed. */
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    final AtomicLong retries = new AtomicLong();

    private final LocalCluster cluster;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final int maxTxsPerThread;

    TxLoad(LocalCluster cluster, int threads, int maxTxsPerThread) {
        this.cluster = cluster;
        this.maxTxsPerThread = maxTxsPerThread;
        for (int t = 0; t < threads; t++) {
            int id = t;
            this.threads.add(Thread.ofPlatform().daemon().name("tx-load-" + t).unstarted(() -> run(id)));
        }
    }

    TxLoad start() {
        threads.forEach(Thread::start);
        return this;
    }

    int acked() {
        return acknowledged.size();
    }

    private void run(int thread) {
        int next = thread;
        for (int i = 0; i < maxTxsPerThread && running.get(); i++) {
            String tx = "set load/" + thread + "/" + i + " value-" + i;
            boolean done = false;
            while (!done && running.get()) {
                List<NodeProcess> alive = cluster.alive();
                if (alive.isEmpty()) {
                    Waits.sleep(Duration.ofMillis(100));
                    continue;
                }
                NodeProcess target = alive.get(Math.floorMod(next++, alive.size()));
                try {
                    NodeClient.Answer a = target.api.submit(tx, true, Duration.ofSeconds(15));
                    if (a.status() == 200 && a.body().path("status").asText().equals("committed")) {
                        acknowledged.put(a.body().path("hash").asText(), a.body().path("height").asLong());
                        done = true;
                    } else {
                        retries.incrementAndGet();
                        Waits.sleep(Duration.ofMillis(50));
                    }
                } catch (IOException e) {
                    retries.incrementAndGet();
                    Waits.sleep(Duration.ofMillis(50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops submitting and waits (bounded) for the threads; an answer in flight may still be recorded. */
    void stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
