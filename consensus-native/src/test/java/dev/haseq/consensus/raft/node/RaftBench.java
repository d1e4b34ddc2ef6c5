package dev.haseq.consensus.raft.node;

import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.consensus.raft.transport.PingPongRtt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The native Raft benchmark: three replicas in this JVM on 127.0.0.1, each with its own data
 * directory, 1 KiB entries; an entry counts once it is durable on a majority and applied on the
 * leader. Prints the raw floor (disk append+force, loopback RTT) and scenarios A (sequential
 * latency), B (pipelined throughput) and C (failover and transfer gaps). See docs/benchmarks.md.
 *
 * <p>Args: {@code [store=NAME] [dir=PATH] [only=floor,A,B,C] [awarm=N]} (a leading {@code --} is
 * accepted). {@code awarm}: A's warm-up proposals, default 20,000 (with fewer, A measures the JIT
 * compiler at work). NAME is a log store provider found by ServiceLoader ({@code chronicle}, {@code file}) or {@code mem} (the in-memory test
 * double: no fsync at all, so not a durability benchmark). Default: chronicle, else file, else mem.
 */
public final class RaftBench {
    private static final int ENTRY = 1024;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            String kv = a.startsWith("--") ? a.substring(2) : a;
            if (kv.contains("=")) {
                opts.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("expected key=value (store=NAME, dir=PATH, only=floor,A,B,C, awarm=N), got '"
                        + a + "'");
            }
        }
        List<String> stores = StorageKit.available();
        String store = opts.getOrDefault("store", stores.contains("chronicle") ? "chronicle"
                : stores.contains("file") ? "file" : "mem");
        Path dir = Path.of(opts.getOrDefault("dir", System.getProperty("java.io.tmpdir")))
                .resolve("haseq-raft-bench-" + ProcessHandle.current().pid());
        List<String> only = List.of(opts.getOrDefault("only", "floor,A,B,C").split(","));
        warmA = Integer.parseInt(opts.getOrDefault("awarm", "20000"));
        Files.createDirectories(dir);
        System.out.printf("haseq native Raft benchmark: %d cores, %s, JDK %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"));
        System.out.printf("storage: %s (available log stores: %s); data under %s%n",
                StorageKit.named(store).description(), stores, dir);
        try {
            if (only.contains("floor")) {
                floor(dir);
            }
            if (only.contains("A") || only.contains("B")) {
                steady(dir.resolve("ab"), store, only);
            }
            if (only.contains("C")) {
                failover(dir.resolve("c"), store);
            }
        } finally {
            deleteTree(dir);
        }
    }

    // ---- raw floor -------------------------------------------------------------------------

    private static void floor(Path dir) throws Exception {
        Path f = dir.resolve("floor.dat");
        long[] lat = new long[2000];
        ByteBuffer buf = ByteBuffer.allocateDirect(ENTRY);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < 200 + lat.length; i++) {
                buf.clear();
                long t0 = System.nanoTime();
                ch.write(buf);
                ch.force(false);
                long t = System.nanoTime() - t0;
                if (i >= 200) {
                    lat[i - 200] = t;
                }
            }
        }
        Arrays.sort(lat);
        System.out.printf("floor: 1 KiB append + force: p50 %.1f us, p99 %.1f us (%d samples)%n",
                lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3, lat.length);
        quorumFloor(dir);
        System.out.println("floor: " + PingPongRtt.measure(ENTRY, 20_000, 5_000));
    }

    /**
     * What durability on a majority costs when the three replicas share this one disk, as they do
     * in this benchmark: three threads each write 1 KiB to their own preallocated file and
     * fdatasync it, all at once; the time until two of the three are durable. Together with the loopback RTT this
     * is the floor under scenario A (a leader's and a follower's fsync run concurrently, and on a
     * single virtual disk concurrent fsyncs partly queue behind each other).
     */
    private static void quorumFloor(Path dir) throws Exception {
        int rounds = 2000;
        int warm = 200;
        long[] lat = new long[rounds];
        FileChannel[] files = new FileChannel[3];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            // Preallocated (written and synced first), as the Chronicle store keeps its files:
            // each round overwrites allocated blocks, so an fdatasync flushes data only.
            long size = (long) (warm + rounds) * ENTRY;
            for (int r = 0; r < 3; r++) {
                files[r] = FileChannel.open(dir.resolve("quorum-" + r + ".dat"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
                for (long at = 0; at < size; at += zeros.capacity()) {
                    zeros.clear();
                    files[r].write(zeros, at);
                }
                files[r].force(true);
            }
            for (int i = 0; i < warm + rounds; i++) {
                java.util.concurrent.CountDownLatch majority = new java.util.concurrent.CountDownLatch(2);
                java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(3);
                long at = (long) i * ENTRY;
                long t0 = System.nanoTime();
                for (FileChannel ch : files) {
                    pool.execute(() -> {
                        try {
                            ch.write(ByteBuffer.allocate(ENTRY), at);
                            ch.force(false);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        } finally {
                            majority.countDown();
                            all.countDown();
                        }
                    });
                }
                majority.await();
                long t = System.nanoTime() - t0;
                all.await();
                if (i >= warm) {
                    lat[i - warm] = t;
                }
            }
        } finally {
            pool.shutdownNow();
            for (FileChannel ch : files) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
        Arrays.sort(lat);
        System.out.printf("floor: 3 preallocated files written + forced at once on this disk, 2 of 3 durable: p50 %.1f us,"
                + " p99 %.1f us (%d rounds)%n", lat[rounds / 2] / 1e3, lat[(int) (rounds * 0.99)] / 1e3, rounds);
    }

    // ---- A and B ---------------------------------------------------------------------------

    private static Map<String, String> settings(String store, Map<String, String> timings) {
        Map<String, String> m = new HashMap<>(timings);
        m.put(RaftSettings.LOG_STORE, store);
        m.put(RaftSettings.SNAPSHOT_THRESHOLD, "5000");
        m.put(RaftSettings.TRAILING_LOGS, "18000");
        return m;
    }

    private static Map<String, String> guideTimings() {
        Map<String, String> m = new HashMap<>();
        m.put(RaftSettings.HEARTBEAT_TIMEOUT, "92ms");
        m.put(RaftSettings.ELECTION_TIMEOUT, "368ms");
        m.put(RaftSettings.LEADER_LEASE_TIMEOUT, "46ms");
        m.put(RaftSettings.SEND_TIMEOUT, "50ms");
        return m;
    }

    /** Proposals before A's 2,000 measured ones ({@code awarm=}): they warm the JIT up as well. */
    private static int warmA = 20_000;

    private static void steady(Path dir, String store, List<String> only) throws Exception {
        try (LocalCluster c = new LocalCluster(3, dir, settings(store, guideTimings()), StorageKit.named(store),
                i -> new CountingStateMachine())) {
            c.startAll();
            byte[] entry = new byte[ENTRY];
            if (only.contains("A")) {
                RaftNode n = c.nodes[c.awaitLeader()];
                long[] lat = new long[2000];
                int retries = 0;
                long cpu0 = 0;
                for (int i = 0; i < warmA + lat.length; i++) {
                    entry[0] = (byte) i;
                    if (i == warmA) {
                        cpu0 = processCpuNanos();
                    }
                    long t0 = System.nanoTime();
                    try {
                        n.propose(entry).get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        // leadership moved (CPU starvation can cost a leader its lease): retry on the new one
                        retries++;
                        n = c.nodes[c.awaitLeader()];
                        i--;
                        continue;
                    }
                    long t = System.nanoTime() - t0;
                    if (i >= warmA) {
                        lat[i - warmA] = t;
                    }
                }
                long cpu = processCpuNanos() - cpu0;
                long total = Arrays.stream(lat).sum();
                Arrays.sort(lat);
                System.out.printf("A sequential: %d proposals after %d warm-up: p50 %.1f us, p99 %.1f us, "
                                + "max %.1f us, %.0f entries/s, CPU %.0f us per entry (target p50 <= 300 us)%s%n",
                        lat.length, warmA, lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3,
                        lat[lat.length - 1] / 1e3, lat.length / (total / 1e9), cpu / 1e3 / lat.length,
                        retries == 0 ? "" : "; " + retries + " retried after a leader change");
            }
            if (only.contains("B")) {
                pipelined(c, 5, false);
                long cpu0 = processCpuNanos();
                long[] r = pipelined(c, 10, true);
                long cpu = processCpuNanos() - cpu0;
                double secs = r[1] / 1e9;
                System.out.printf("B pipelined: 64 in flight for %.1f s after 5 s warm-up: %.0f entries/s, "
                        + "%.1f MiB/s, CPU %.1f us per entry (target >= 32,000/s); %d failed%n", secs, r[0] / secs,
                        r[0] * (double) ENTRY / (1 << 20) / secs, cpu / 1e3 / Math.max(1, r[0]), r[2]);
            }
        }
    }

    /**
     * Keeps 64 proposals in flight against whoever leads (a NotLeader answer re-targets the next
     * proposals; leader changes are counted and printed).
     *
     * @return {committed, elapsed nanos, failed}
     */
    private static long[] pipelined(LocalCluster c, int seconds, boolean measured) throws InterruptedException {
        Semaphore window = new Semaphore(64);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean lostLeader = new java.util.concurrent.atomic.AtomicBoolean();
        int changesBefore = c.listeners.stream().mapToInt(l -> l.leaderChanges.get()).sum();
        byte[] entry = new byte[ENTRY];
        RaftNode n = c.nodes[c.awaitLeader()];
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (lostLeader.getAndSet(false)) {
                n = c.nodes[c.awaitLeader()];
            }
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            n.propose(entry).whenComplete((x, e) -> {
                if (e == null) {
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                    lostLeader.set(true);
                }
                window.release();
            });
        }
        long counted = done.get();
        long elapsed = System.nanoTime() - t0;
        window.tryAcquire(64, 10, TimeUnit.SECONDS); // let the tail finish before the next phase
        window.release(64);
        int changes = c.listeners.stream().mapToInt(l -> l.leaderChanges.get()).sum() - changesBefore;
        if (measured && (firstFailure.get() != null || changes > 0)) {
            System.out.println("B: " + changes + " leader-change events during the run; first failure: "
                    + firstFailure.get());
        }
        return new long[] {counted, elapsed, failed.get()};
    }

    // ---- C ---------------------------------------------------------------------------------

    /** A client that proposes back to back to whoever leads and records each commit's time and term. */
    private static final class Client implements Runnable {
        record Commit(long nanos, long term, long index) {
        }

        private final LocalCluster c;
        private final List<Commit> commits = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile boolean stop;

        Client(LocalCluster c) {
            this.c = c;
        }

        @Override
        public void run() {
            byte[] entry = new byte[ENTRY];
            int target = 0;
            while (!stop) {
                RaftNode n = c.nodes[target];
                if (n == null || !n.isStartedAndOpen()) {
                    target = (target + 1) % c.size;
                    continue;
                }
                try {
                    Committed done = n.propose(entry).get(2, TimeUnit.SECONDS);
                    commits.add(new Commit(System.nanoTime(), done.term(), done.index()));
                } catch (ExecutionException e) {
                    int hinted = e.getCause() instanceof NotLeaderException nl && nl.leaderHint().isPresent()
                            ? c.ids.indexOf(nl.leaderHint().get().id()) : -1;
                    if (hinted < 0 || hinted == target) {
                        // no leader yet, or the leader is handing over: wait a little instead of
                        // burning the CPU the election needs
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                    target = hinted >= 0 ? hinted : (target + 1) % c.size;
                } catch (TimeoutException | RuntimeException e) {
                    target = (target + 1) % c.size;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Optional<Commit> firstAfter(long nanos, long minTerm) {
            synchronized (commits) {
                return commits.stream().filter(x -> x.nanos() > nanos && x.term() > minTerm)
                        .min(Comparator.comparingLong(Commit::nanos));
            }
        }

        Optional<Commit> lastBefore(long nanos) {
            synchronized (commits) {
                return commits.stream().filter(x -> x.nanos() <= nanos).max(Comparator.comparingLong(Commit::nanos));
            }
        }
    }

    private static void failover(Path dir, String store) throws Exception {
        try (LocalCluster c = new LocalCluster(3, dir, settings(store, guideTimings()), StorageKit.named(store),
                i -> new CountingStateMachine())) {
            c.startAll();
            c.awaitLeader();
            Client client = new Client(c);
            Thread t = Thread.ofPlatform().name("bench-client").start(client);
            Thread.sleep(500);
            List<Double> crash = new ArrayList<>();
            for (int rep = 0, attempts = 0; rep < 10 && attempts < 30; attempts++) {
                Thread.sleep(200);
                int leader = c.awaitLeader();
                long term = c.nodes[leader].term();
                long t0 = System.nanoTime();
                c.halt(leader);
                NodeView last = c.nodes[leader].lastView();
                if (last.term() != term || last.role() != dev.haseq.api.consensus.Role.LEADER) {
                    c.start(leader); // leadership moved on its own just now: not a clean measurement
                    c.awaitLeader();
                    continue;
                }
                rep++;
                Optional<Client.Commit> first = Optional.empty();
                long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
                while (first.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    first = client.firstAfter(t0, term);
                }
                crash.add(first.map(x -> (x.nanos() - t0) / 1e6).orElse(Double.NaN));
                c.start(leader);
                c.awaitLeader();
                Thread.sleep(300);
            }
            List<Double> gaps = new ArrayList<>();
            for (int rep = 0; rep < 10; rep++) {
                Thread.sleep(200);
                int leader = c.awaitLeader();
                long term = c.nodes[leader].term();
                long t0 = System.nanoTime();
                try {
                    c.nodes[leader].transferLeadership(Optional.empty()).get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    System.out.println("C transfer " + rep + " failed: " + e);
                }
                Optional<Client.Commit> first = Optional.empty();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (first.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    first = client.firstAfter(t0, term);
                }
                Optional<Client.Commit> last = client.lastBefore(first.map(Client.Commit::nanos).orElse(t0) - 1);
                gaps.add(first.isPresent() && last.isPresent() ? (first.get().nanos() - last.get().nanos()) / 1e6
                        : Double.NaN);
                Thread.sleep(300);
            }
            client.stop = true;
            t.join(5_000);
            System.out.println("C abrupt leader stop, time to first commit under the new leader (ms): "
                    + summary(crash) + " (target median <= 300 ms)");
            System.out.println("C graceful transfer, gap with no commits (ms): " + summary(gaps)
                    + " (target median <= 10 ms)");
        }
    }

    /** CPU time of this whole JVM (all three replicas, the client, GC and JIT). */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static String summary(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("min %.1f, median %.1f, max %.1f over %d runs %s", v[0], v[v.length / 2],
                v[v.length - 1], v.length, xs.stream().map(x -> String.format("%.1f", x)).toList());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
