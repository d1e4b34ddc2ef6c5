package dev.haseq.storage.file.log;

import dev.haseq.api.storage.AtomicFiles;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.io.DurableFiles;
import dev.haseq.storage.file.io.StampedHeader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a log directory: reads the meta file, verifies every segment, cuts a torn tail off the
 * last one (reporting it), refuses anything else that is damaged, and rebuilds the in-memory
 * offsets and terms.
 *
 * <p>What counts as a torn tail: a damaged record in the <em>last</em> segment with no valid
 * record after it, i.e. the one write that a crash interrupted. Every older segment was forced
 * to disk before the next one was created, so damage there, or a damaged record followed by valid
 * ones, is corruption of acknowledged data and a {@link StorageException} naming file and offset.
 *
 * <p>Where a segment ends: after its last valid record, when the file holds nothing but zeros from
 * there on (the newest segment's preallocated tail, see {@link SegmentScanner}); those zeros are
 * kept and are not reported. A torn record is cut together with the zeros after it, and reported
 * with the size of its own non-zero bytes.
 *
 * <p>Known limit: after a power loss (not a process crash) the disk may have kept a later page of
 * an unsynced batch but not an earlier one. Valid records then follow the hole and open refuses,
 * although only unsynced entries are affected. Refusing is the safe side: it never drops
 * acknowledged entries, it only asks the operator to act.
 */
final class LogRecovery {
    private static final System.Logger LOG = System.getLogger(FileLogStore.class.getName());

    /** The state of an opened log. */
    record Recovered(List<Segment> segments, TermRuns terms, long firstIndex, long lastIndex) {
    }

    private final Path dir;
    private final StorageEvents events;
    private final List<Segment> segments = new ArrayList<>();
    private final TermRuns terms = new TermRuns();
    private boolean directoryChanged;

    private LogRecovery(Path dir, StorageEvents events) {
        this.dir = dir;
        this.events = events;
    }

    static Recovered recover(Path dir, StorageEvents events) {
        return new LogRecovery(dir, events).run();
    }

    private Recovered run() {
        DurableFiles.createDirectories(dir);
        DurableFiles.delete(dir.resolve(LogMeta.FILE_NAME + AtomicFiles.TEMP_SUFFIX));
        long first = LogMeta.read(dir).orElse(1);
        try {
            List<Long> starts = segmentStarts();
            // Segments wholly below the first index are left over from a compaction that was
            // interrupted after it recorded the new first index: finish it.
            int keepFrom = 0;
            while (keepFrom < starts.size() - 1 && starts.get(keepFrom + 1) <= first) {
                deleteFile(dir.resolve(Segment.fileName(starts.get(keepFrom))));
                keepFrom++;
            }
            List<Long> kept = starts.subList(keepFrom, starts.size());
            for (int i = 0; i < kept.size(); i++) {
                open(kept.get(i), i == kept.size() - 1);
            }
            if (segments.size() == 1 && segments.getFirst().lastIndex() < first) {
                Segment only = segments.removeFirst();
                only.close();
                deleteFile(only.path());
            }
            if (!segments.isEmpty() && segments.getFirst().firstIndex() > first) {
                throw new StorageException("log directory " + dir + " starts at index " + segments.getFirst().firstIndex()
                        + " (" + segments.getFirst().path().getFileName() + ") but its first index is " + first
                        + ": segment files are missing. Restore them, or wipe this node's Raft state and let it rejoin");
            }
            if (directoryChanged) {
                AtomicFiles.fsyncDirectory(dir);
            }
        } catch (IOException | RuntimeException e) {
            segments.forEach(s -> closeQuietly(s.channel()));
            if (e instanceof IOException io) {
                throw new StorageException("cannot open log " + dir + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        long last = segments.isEmpty() ? first - 1 : segments.getLast().lastIndex();
        if (segments.isEmpty()) {
            terms.clear();
        } else {
            terms.dropBefore(first);
        }
        return new Recovered(segments, terms, first, last);
    }

    private List<Long> segmentStarts() throws IOException {
        List<Long> starts = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + Segment.SUFFIX)) {
            for (Path p : ds) {
                long start = Segment.parseName(p.getFileName().toString());
                if (start < 1) {
                    throw new StorageException("unexpected file " + p + " in the log directory: segment files are named "
                            + "by their first index, like " + Segment.fileName(1) + "; move it elsewhere");
                }
                starts.add(start);
            }
        }
        starts.sort(null);
        return starts;
    }

    private void open(long start, boolean last) throws IOException {
        Path path = dir.resolve(Segment.fileName(start));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            if (last && size <= StampedHeader.BYTES && !validHeader(ch, size, start)) {
                // Created by a roll, then the crash came before its header was complete.
                ch.close();
                deleteFile(path);
                reportTorn(path, 0, size, 0, "incomplete segment header");
                return;
            }
            checkHeader(ch, path, size, start);
            if (!segments.isEmpty() && segments.getLast().lastIndex() + 1 != start) {
                Segment prev = segments.getLast();
                long prevSize = prev.channel().size();
                throw new StorageException("log segments " + prev.path().getFileName() + " (indexes " + prev.firstIndex()
                        + ".." + prev.lastIndex() + ") and " + path.getFileName() + " do not follow each other in " + dir
                        + (prevSize > prev.end() ? ": " + prev.path().getFileName() + " holds only zeros from offset "
                                + prev.end() + " to its end at " + prevSize + ", so records there were lost"
                                : ": a segment file is missing or stale")
                        + ". Restore it, or wipe this node's Raft state and let it rejoin");
            }
            SegmentScanner.Scan scan = SegmentScanner.scan(ch, start, terms);
            if (scan.corruption().isPresent()) {
                SegmentScanner.Corruption c = scan.corruption().get();
                if (!last || c.validRecordsFollow()) {
                    throw new StorageException("corrupt log record in " + path + " at offset " + c.offset() + ": "
                            + c.reason() + ". " + (last ? "Valid records follow it" : "It is not in the newest segment")
                            + ", so this is damage to acknowledged entries, not "
                            + "a torn last write; the log is left untouched. Restore this node's raft-log from a "
                            + "backup, or wipe this node's Raft state and let it rejoin from a snapshot");
                }
                // The cut takes any preallocated zeros after the torn bytes with it; the
                // preallocator zero-fills again once the store is open.
                ch.truncate(c.offset());
                ch.force(true);
                reportTorn(path, c.offset(), scan.dataEnd() - c.offset(), size - scan.dataEnd(), c.reason());
            }
            segments.add(new Segment(path, start, ch, scan.offsets(), scan.count(), scan.end()));
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static boolean validHeader(FileChannel ch, long size, long start) throws IOException {
        if (size < StampedHeader.BYTES) {
            return false;
        }
        byte[] h = new byte[StampedHeader.BYTES];
        DurableFiles.readFully(ch, ByteBuffer.wrap(h), 0);
        return StampedHeader.decode(h, Segment.MAGIC) instanceof StampedHeader.Valid v && v.value() == start;
    }

    private static void checkHeader(FileChannel ch, Path path, long size, long start) throws IOException {
        byte[] h = new byte[StampedHeader.BYTES];
        if (size < StampedHeader.BYTES || !DurableFiles.readFully(ch, ByteBuffer.wrap(h), 0)) {
            throw new StorageException("log segment " + path + " is " + size + " bytes, shorter than its header");
        }
        switch (StampedHeader.decode(h, Segment.MAGIC)) {
            case StampedHeader.Valid v when v.value() == start -> {
            }
            case StampedHeader.Valid v -> throw new StorageException("log segment " + path + " says it starts at index "
                    + v.value() + " but its name says " + start + ": the file was renamed or copied over; restore it");
            case StampedHeader.Invalid i -> throw new StorageException("log segment " + path + " has a corrupt header at "
                    + "offset 0: " + i.reason() + ". Restore it, or wipe this node's Raft state and let it rejoin");
        }
    }

    /** {@code dropped}: the bytes of the interrupted write; {@code zeros}: preallocated zeros cut with them. */
    private void reportTorn(Path path, long offset, long dropped, long zeros, String reason) {
        LOG.log(Level.WARNING, "log {0}: cut {1} bytes at offset {2} left by an interrupted write ({3}){4}",
                path, dropped, offset, reason, zeros > 0 ? ", and the " + zeros + " preallocated zero bytes after them" : "");
        events.tornTailTruncated(path, offset, dropped);
    }

    private void deleteFile(Path path) {
        DurableFiles.delete(path);
        directoryChanged = true;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Already failing; the first error is the one to report.
        }
    }
}
