package dev.haseq.storage.file;

import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Contexts and an event recorder for the unit tests. */
public final class TestContexts {
    private TestContexts() {
    }

    public static StorageContext context(Path dir, StorageEvents events) {
        return new StorageContext(dir, RaftSettings.parse(Map.of(), dir).orThrow(), events);
    }

    /** Remembers reports as "torn file offset dropped" / "skipped file reason" lines. */
    public static final class Recorder implements StorageEvents {
        public final List<String> torn = new CopyOnWriteArrayList<>();
        public final List<String> skipped = new CopyOnWriteArrayList<>();

        @Override
        public void tornTailTruncated(Path file, long offset, long bytesDropped) {
            torn.add(file.getFileName() + " " + offset + " " + bytesDropped);
        }

        @Override
        public void corruptSnapshotSkipped(Path file, String reason) {
            skipped.add(file.getFileName() + " " + reason);
        }
    }
}
