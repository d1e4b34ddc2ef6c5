package dev.haseq.it.storage;

import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StorageEvents} that remembers every report, for assertions. Thread-safe. */
public final class RecordingEvents implements StorageEvents {

    /** One {@link StorageEvents#tornTailTruncated} report. */
    public record TornTail(Path file, long offset, long bytesDropped) {
    }

    /** One {@link StorageEvents#corruptSnapshotSkipped} report. */
    public record SkippedSnapshot(Path file, String reason) {
    }

    private final List<TornTail> tornTails = new CopyOnWriteArrayList<>();
    private final List<SkippedSnapshot> skippedSnapshots = new CopyOnWriteArrayList<>();

    @Override
    public void tornTailTruncated(Path file, long offset, long bytesDropped) {
        tornTails.add(new TornTail(file, offset, bytesDropped));
    }

    @Override
    public void corruptSnapshotSkipped(Path file, String reason) {
        skippedSnapshots.add(new SkippedSnapshot(file, reason));
    }

    public List<TornTail> tornTails() {
        return List.copyOf(tornTails);
    }

    public List<SkippedSnapshot> skippedSnapshots() {
        return List.copyOf(skippedSnapshots);
    }
}
