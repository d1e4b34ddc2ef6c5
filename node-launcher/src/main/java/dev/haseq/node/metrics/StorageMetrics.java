package dev.haseq.node.metrics;

import dev.haseq.api.storage.StorageEvents;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Counts what the stores repaired or skipped while opening ({@link StorageEvents}), per store.
 * The series a built-in store can report start at zero, so an alert on their increase fires on
 * the first event too. Thread-safe.
 */
final class StorageMetrics {
    private final Counter tornTails;
    private final Counter tornBytes;
    private final Counter corruptSnapshots;

    StorageMetrics(PrometheusRegistry registry) {
        tornTails = Counter.builder().name("haseq_storage_torn_tails_truncated")
                .help("Torn records cut off the end of a store's file at open (a write a crash interrupted; "
                        + "never acknowledged, so nothing committed is lost)")
                .labelNames("store").withoutExemplars().register(registry);
        tornBytes = Counter.builder().name("haseq_storage_torn_tail_dropped_bytes")
                .help("Bytes dropped with those torn records")
                .labelNames("store").withoutExemplars().register(registry);
        corruptSnapshots = Counter.builder().name("haseq_storage_corrupt_snapshots_skipped")
                .help("Corrupt snapshots skipped at open in favour of an older one")
                .labelNames("store").withoutExemplars().register(registry);
        for (StoreKind k : new StoreKind[] {StoreKind.RAFT_LOG, StoreKind.BLOCKS}) {
            tornTails.labelValues(k.label());
            tornBytes.labelValues(k.label());
        }
        corruptSnapshots.labelValues(StoreKind.SNAPSHOTS.label());
    }

    /** The events of every store, each charged to the store {@code storeOf} says its file belongs to. */
    StorageEvents events(Function<Path, StoreKind> storeOf) {
        return new StorageEvents() {
            @Override
            public void tornTailTruncated(Path file, long offset, long bytesDropped) {
                String store = storeOf.apply(file).label();
                tornTails.labelValues(store).inc();
                tornBytes.labelValues(store).inc(Math.max(0, bytesDropped));
            }

            @Override
            public void corruptSnapshotSkipped(Path file, String reason) {
                corruptSnapshots.labelValues(storeOf.apply(file).label()).inc();
            }
        };
    }
}
