package dev.haseq.launcher.wiring;

import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every storage event to each sink in turn (the log, the metrics). A sink that throws is
 * logged and skipped: reporting a repair must never fail the store that made it.
 */
final class StorageEventSinks implements StorageEvents {
    private static final Logger LOG = LoggerFactory.getLogger(StorageEventSinks.class);
    private final List<StorageEvents> sinks;

    StorageEventSinks(List<StorageEvents> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    private void each(Consumer<StorageEvents> call) {
        for (StorageEvents s : sinks) {
            try {
                call.accept(s);
            } catch (RuntimeException e) {
                LOG.warn("storage event sink {} failed: {}", s, e.toString(), e);
            }
        }
    }

    @Override
    public void tornTailTruncated(Path file, long offset, long bytesDropped) {
        each(s -> s.tornTailTruncated(file, offset, bytesDropped));
    }

    @Override
    public void corruptSnapshotSkipped(Path file, String reason) {
        each(s -> s.corruptSnapshotSkipped(file, reason));
    }
}
