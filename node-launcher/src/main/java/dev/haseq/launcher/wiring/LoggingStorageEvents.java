package dev.haseq.launcher.wiring;

import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs what the stores repaired or skipped while opening; both are worth an operator's attention. */
final class LoggingStorageEvents implements StorageEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingStorageEvents.class);

    @Override
    public void tornTailTruncated(Path file, long offset, long bytesDropped) {
        LOG.warn("storage: cut a torn record at the end of {} (offset {}, {} bytes dropped); it was never "
                + "acknowledged, so nothing committed is lost", file, offset, bytesDropped);
    }

    @Override
    public void corruptSnapshotSkipped(Path file, String reason) {
        LOG.warn("storage: skipped corrupt snapshot {} ({}); using an older one", file, reason);
    }
}
