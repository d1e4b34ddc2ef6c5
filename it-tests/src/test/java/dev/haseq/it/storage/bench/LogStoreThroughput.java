package dev.haseq.it.storage.bench;

import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.it.storage.StorageContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A rough throughput probe for any log store (not a test; not run by the build):
 * {@code java ... LogStoreThroughput <provider> [dir] [entries] [batch] [dataBytes]}.
 * Prints append+sync, append-only and sequential read rates and sync latency percentiles.
 */
public final class LogStoreThroughput {
    private LogStoreThroughput() {
    }

    public static void main(String[] args) throws IOException {
        String name = args.length > 0 ? args[0] : "file";
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("log-bench");
        int entries = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int dataBytes = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        LogStoreProvider provider = Providers.select(LogStoreProvider.class, LogStoreProvider::name, "provider", name);
        byte[] data = new byte[dataBytes];
        new SplittableRandom(1).nextBytes(data);
        System.out.printf("provider %s, dir %s, %d entries of %d bytes in batches of %d%n", name, dir, entries, dataBytes, batch);
        try (LogStore log = provider.open(StorageContexts.context(dir.resolve("synced"), StorageEvents.NONE))) {
            long[] syncNanos = new long[entries / batch];
            long t0 = System.nanoTime();
            long next = 1;
            for (int b = 0; b < syncNanos.length; b++) {
                log.append(batchOf(next, batch, data));
                next += batch;
                long s = System.nanoTime();
                log.sync();
                syncNanos[b] = System.nanoTime() - s;
            }
            report("append+sync per batch", t0, next - 1, dataBytes);
            Arrays.sort(syncNanos);
            System.out.printf("  sync latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", syncNanos[syncNanos.length / 2] / 1e6,
                    syncNanos[syncNanos.length * 99 / 100] / 1e6, syncNanos[syncNanos.length - 1] / 1e6);
            long r0 = System.nanoTime();
            long read = 0;
            for (long i = 1; i <= log.lastIndex(); i += batch) {
                read += log.read(i, Math.min(log.lastIndex(), i + batch - 1), Long.MAX_VALUE).size();
            }
            report("sequential read(" + batch + ")", r0, read, dataBytes);
        }
        try (LogStore log = provider.open(StorageContexts.context(dir.resolve("unsynced"), StorageEvents.NONE))) {
            long t0 = System.nanoTime();
            long next = 1;
            while (next <= entries) {
                log.append(batchOf(next, batch, data));
                next += batch;
            }
            report("append only", t0, next - 1, dataBytes);
            long s = System.nanoTime();
            log.sync();
            System.out.printf("  final sync %.1f ms%n", (System.nanoTime() - s) / 1e6);
        }
    }

    private static List<LogEntry> batchOf(long from, int n, byte[] data) {
        List<LogEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new LogEntry(from + i, 1, data));
        }
        return out;
    }

    private static void report(String what, long startNanos, long count, int dataBytes) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%-28s %,10.0f entries/s  %7.1f MB/s of data  (%d entries in %.2f s)%n", what, count / secs,
                count * (double) dataBytes / secs / 1e6, count, secs);
    }
}
