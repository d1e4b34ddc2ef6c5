package dev.haseq.storage.file.snapshot;

import dev.haseq.api.storage.AtomicFiles;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.io.DurableFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots as files {@code <dir>/<term>-<index>.snp} (layout in {@link SnapshotFormat}).
 *
 * <p>A {@link #create writer} streams into a temp file {@code <term>-<index>.snp.<random>.tmp};
 * commit forces it, renames it atomically to its final name, fsyncs the directory and then
 * deletes all but the newest {@code snapCount} (newest = highest index, then term). Leftover temp
 * files from a crash are deleted on open. {@link #openLatest} verifies checksums newest first and
 * skips (and reports) corrupt files; when files exist but none verifies it throws rather than
 * answer "no snapshot", which would make a node whose log was compacted look new.
 *
 * <p>Thread-safe: publication, retention and listing run under the store's monitor (so a listing
 * always sees a settled directory); reading needs no lock (a file deleted under a reader stays
 * readable through its open channel).
 */
public final class FileSnapshotStore implements SnapshotStore {
    private static final System.Logger LOG = System.getLogger(FileSnapshotStore.class.getName());
    private static final Comparator<SnapshotMeta> NEWEST_FIRST =
            Comparator.comparingLong(SnapshotMeta::index).thenComparingLong(SnapshotMeta::term).reversed();

    private final Path dir;
    private final int snapCount;
    private final StorageEvents events;
    private volatile boolean closed;

    private FileSnapshotStore(Path dir, int snapCount, StorageEvents events) {
        this.dir = dir;
        this.snapCount = snapCount;
        this.events = events;
    }

    /** Opens the store in {@code dir}, keeping {@code snapCount} snapshots, and deletes leftover temp files. */
    public static FileSnapshotStore open(Path dir, int snapCount, StorageEvents events) {
        if (snapCount < 1) {
            throw new IllegalArgumentException("raft.snap_count must be >= 1, got " + snapCount);
        }
        DurableFiles.createDirectories(dir);
        boolean deleted = false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SnapshotFormat.SUFFIX + ".*"
                + AtomicFiles.TEMP_SUFFIX)) {
            for (Path p : ds) {
                LOG.log(Level.INFO, "deleting {0}: a snapshot that was never committed", p);
                DurableFiles.delete(p);
                deleted = true;
            }
        } catch (IOException e) {
            throw new StorageException("cannot list snapshot directory " + dir + ": " + e.getMessage(), e);
        }
        if (deleted) {
            AtomicFiles.fsyncDirectory(dir);
        }
        return new FileSnapshotStore(dir, snapCount, events);
    }

    @Override
    public Writer create(SnapshotMeta meta) {
        checkOpen();
        Path temp;
        try {
            temp = Files.createTempFile(dir, SnapshotFormat.fileName(meta) + ".", AtomicFiles.TEMP_SUFFIX);
        } catch (IOException e) {
            throw new StorageException("cannot create a snapshot file in " + dir + ": " + e.getMessage(), e);
        }
        return new SnapshotFileWriter(temp, SnapshotMeta.of(meta.index(), meta.term()), this::publish);
    }

    private synchronized void publish(Path temp, SnapshotMeta meta) {
        checkOpen();
        Path target = dir.resolve(SnapshotFormat.fileName(meta));
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageException("cannot publish snapshot " + target + ": " + e.getMessage(), e);
        }
        AtomicFiles.fsyncDirectory(dir);
        List<SnapshotMeta> all = list();
        if (all.size() > snapCount) {
            for (SnapshotMeta old : all.subList(snapCount, all.size())) {
                DurableFiles.delete(dir.resolve(SnapshotFormat.fileName(old)));
            }
            AtomicFiles.fsyncDirectory(dir);
        }
    }

    @Override
    public Optional<Reader> openLatest() {
        checkOpen();
        List<String> corrupt = new ArrayList<>();
        for (SnapshotMeta meta : list()) {
            Path file = dir.resolve(SnapshotFormat.fileName(meta));
            try {
                return Optional.of(SnapshotFileReader.open(file, meta));
            } catch (NoSuchFileException e) {
                // Deleted by retention after we listed it: a newer one exists; look again below.
                return openLatestAfterRace();
            } catch (SnapshotFileReader.CorruptSnapshotException e) {
                LOG.log(Level.WARNING, "skipping corrupt snapshot {0}: {1}", file, e.getMessage());
                events.corruptSnapshotSkipped(file, e.getMessage());
                corrupt.add(file.getFileName() + " (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new StorageException("cannot read snapshot " + file + ": " + e.getMessage(), e);
            }
        }
        if (!corrupt.isEmpty()) {
            throw new StorageException("every snapshot in " + dir + " is corrupt: " + String.join("; ", corrupt)
                    + ". The state they held cannot be recovered from this node; wipe its Raft state and let it "
                    + "rejoin so that the leader sends a fresh snapshot");
        }
        return Optional.empty();
    }

    private Optional<Reader> openLatestAfterRace() {
        // Publication holds the monitor, so listing under it sees a settled directory.
        synchronized (this) {
            return openLatest();
        }
    }

    /**
     * Under the monitor, which publication holds: a directory listing that ran while a snapshot is
     * published could miss both the new name (renamed in behind the listing's position) and the
     * old ones (deleted ahead of it), and answer "no snapshot" while there is one. Publication
     * takes milliseconds, so a lister waits at most that long.
     */
    @Override
    public synchronized List<SnapshotMeta> list() {
        List<SnapshotMeta> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SnapshotFormat.SUFFIX)) {
            for (Path p : ds) {
                SnapshotMeta named = SnapshotFormat.parseName(p.getFileName().toString());
                if (named == null) {
                    continue;
                }
                long size;
                try {
                    size = Files.size(p) - SnapshotFormat.HEADER_BYTES - SnapshotFormat.TRAILER_BYTES;
                } catch (NoSuchFileException e) {
                    continue;
                }
                out.add(new SnapshotMeta(named.index(), named.term(), Math.max(-1, size)));
            }
        } catch (IOException e) {
            throw new StorageException("cannot list snapshot directory " + dir + ": " + e.getMessage(), e);
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("snapshot store " + dir + " is closed");
        }
    }
}
