package dev.haseq.it.bench;

import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.it.storage.StorageContexts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Issue #3's log store benchmark (not a test; run with {@code -Pbench}, see docs/benchmarks.md).
 * In one run on one disk it measures:
 * <ol>
 *   <li>the raw floor: append 1 KiB to a file and {@code FileChannel.force(false)}, p50/p99;</li>
 *   <li>for every {@link LogStoreProvider} that {@code ServiceLoader} finds: 1 KiB appends with a
 *       {@code sync()} after each (p50/p99), the same appends without sync (to show that sync is
 *       what costs, i.e. that it really forces), and 64-entry batches with one {@code sync()} per
 *       batch (entries/s).</li>
 * </ol>
 * Targets (issue #3): synced append p50 &lt;= 1.2 x raw floor p50; batched &gt;= 100,000 entries/s.
 * Arguments (all optional): {@code [workDir] [syncedAppends] [batches]}; the report is also
 * written to {@code <workDir>/log-store-benchmark.txt}.
 */
public final class LogStoreBenchmark {
    private static final int ENTRY_BYTES = 1024;
    private static final int BATCH = 64;
    private static final int WARMUP = 300;

    private LogStoreBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "target/benchmarks").toAbsolutePath();
        int synced = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        Files.createDirectories(work);
        Path runDir = Files.createTempDirectory(work, "log-bench-");
        List<String> report = new ArrayList<>();
        try {
            FileStore fs = Files.getFileStore(runDir);
            report.add(String.format(Locale.ROOT, "machine: %d cores, %s %s, Java %s; disk %s (%s) for %s",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.arch"), Runtime.version(), fs.name(), fs.type(), runDir));
            report.add(String.format(Locale.ROOT, "entries of %d bytes; %d synced appends after %d warm-up;"
                    + " %d batches of %d", ENTRY_BYTES, synced, WARMUP, batches, BATCH));
            double floorP50 = rawFloor(runDir.resolve("raw.bin"), synced, report);
            List<LogStoreProvider> providers = new ArrayList<>(Providers.all(LogStoreProvider.class));
            providers.sort(Comparator.comparing(LogStoreProvider::name));
            if (providers.isEmpty()) {
                report.add("no LogStoreProvider found on the class path");
            }
            for (LogStoreProvider p : providers) {
                store(p, runDir.resolve(p.name()), synced, batches, floorP50, report);
            }
        } finally {
            deleteTree(runDir);
        }
        Path out = work.resolve("log-store-benchmark.txt");
        Files.write(out, report);
        PrintStream o = System.out;
        o.println("==== log store benchmark ====");
        report.forEach(o::println);
        o.println("(also in " + out + ")");
    }

    private static double rawFloor(Path file, int n, List<String> report) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(ENTRY_BYTES);
        fill(buf, 1);
        long[] t = new long[n];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = -WARMUP; i < n; i++) {
                long s = System.nanoTime();
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
                if (i >= 0) {
                    t[i] = System.nanoTime() - s;
                }
            }
        }
        Arrays.sort(t);
        report.add(String.format(Locale.ROOT, "raw floor (1 KiB write + FileChannel.force(false)):  p50 %6.1f us  p99 %7.1f us",
                us(t, 50), us(t, 99)));
        return us(t, 50);
    }

    private static void store(LogStoreProvider p, Path dir, int n, int batches, double floorP50, List<String> report) {
        byte[] data = new byte[ENTRY_BYTES];
        new SplittableRandom(7).nextBytes(data);
        long[] syncedT = new long[n];
        long[] plainT = new long[n];
        double batchedRate;
        try (LogStore log = p.open(StorageContexts.context(dir.resolve("synced"), StorageEvents.NONE))) {
            long next = 1;
            for (int i = -WARMUP; i < n; i++) {
                long s = System.nanoTime();
                log.append(List.of(new LogEntry(next++, 1, data)));
                log.sync();
                if (i >= 0) {
                    syncedT[i] = System.nanoTime() - s;
                }
            }
            for (int i = -WARMUP; i < n; i++) {
                long s = System.nanoTime();
                log.append(List.of(new LogEntry(next++, 1, data)));
                if (i >= 0) {
                    plainT[i] = System.nanoTime() - s;
                }
            }
            log.sync();
        }
        try (LogStore log = p.open(StorageContexts.context(dir.resolve("batched"), StorageEvents.NONE))) {
            long next = 1;
            List<LogEntry> batch = new ArrayList<>(BATCH);
            for (int w = 0; w < WARMUP / 10; w++) {
                batch.clear();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(new LogEntry(next++, 1, data));
                }
                log.append(batch);
                log.sync();
            }
            long t0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                batch.clear();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(new LogEntry(next++, 1, data));
                }
                log.append(batch);
                log.sync();
            }
            batchedRate = (double) batches * BATCH / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(syncedT);
        Arrays.sort(plainT);
        double ratio = us(syncedT, 50) / floorP50;
        report.add(String.format(Locale.ROOT, "%-10s append+sync():                        p50 %6.1f us  p99 %7.1f us"
                        + "  (%.2f x floor, target <= 1.20: %s)", p.name(), us(syncedT, 50), us(syncedT, 99), ratio,
                ratio <= 1.2 ? "met" : "MISSED"));
        report.add(String.format(Locale.ROOT, "%-10s append without sync (sync's share):   p50 %6.1f us  p99 %7.1f us",
                p.name(), us(plainT, 50), us(plainT, 99)));
        report.add(String.format(Locale.ROOT, "%-10s %d-entry batches, one sync each:      %,.0f entries/s"
                + "  (target >= 100,000: %s)", p.name(), BATCH, batchedRate, batchedRate >= 100_000 ? "met" : "MISSED"));
    }

    private static double us(long[] sorted, int percentile) {
        int i = Math.min(sorted.length - 1, (int) ((long) sorted.length * percentile / 100));
        return sorted[i] / 1000.0;
    }

    private static void fill(ByteBuffer b, long seed) {
        byte[] d = new byte[b.capacity()];
        new SplittableRandom(seed).nextBytes(d);
        b.put(d).flip();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
