package dev.haseq.storage.file.log;

import dev.haseq.api.storage.AtomicFiles;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.io.DurableFiles;
import dev.haseq.storage.file.io.StampedHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The {@code file} Raft log: segment files {@code <first index>.seg} of checksummed records (see
 * {@link LogRecords}, {@link Segment}), a new segment once the current one would pass
 * {@code segmentBytes}, and the in-memory offset of every record, rebuilt on open by
 * {@link LogRecovery}. The first index after compaction lives in {@link LogMeta}.
 *
 * <p><b>Durability.</b> {@link #append} writes each batch with one positional write per segment it
 * touches, into the page cache. {@link #sync} forces the current segment (with its metadata after
 * a truncation) and, if segments were created since, the directory. A segment is trimmed to its
 * last record and forced before the next one is created, so only the last segment can hold a torn
 * write or zeros after its records. Compaction and truncation that delete files fsync the
 * directory before returning, deleting newest-first (truncation) or oldest-first (compaction) so
 * that a crash leaves a contiguous run of segments.
 *
 * <p><b>Preallocation.</b> Unless turned off ({@code preallocateBytes} 0), a background thread
 * ({@link SegmentPreallocator}) keeps up to {@code preallocateBytes} after the last record of the
 * newest segment zero-filled and synced, so that a sync overwrites allocated blocks instead of
 * growing the file (on ext4 that spares a metadata write, or a journal commit, per sync). Recovery reads zeros after the
 * last record as the end of the log. {@link #sizeOnDisk()} counts records, not those zeros.
 *
 * <p><b>Threads.</b> One writer calls {@code append}, {@code truncateSuffix}, {@code compactPrefix},
 * {@code sync} and {@code close}; any thread may call the read methods at the same time. A
 * read-write lock guards the segment list, offsets and terms: readers hold the read lock while
 * they look up and read records (so no file is truncated, deleted or closed under them); the
 * writer writes records beyond the published end without the lock and takes the write lock only
 * to publish them or to change files. {@code firstIndex()}/{@code lastIndex()} are volatile reads.
 * Readers use their own channel per segment, so a reader interrupted mid-read (which makes NIO
 * close the channel) fails only its own call; interrupting the writer thread fails the store.
 * After an I/O error the store refuses further writes (its files may hold a partial write that
 * only recovery on open can judge).
 */
public final class FileLogStore implements LogStore {
    /** Default segment size: 64 MiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 64 << 20;
    /** Smallest segment size accepted (tests use small segments to exercise rolling). */
    public static final int MIN_SEGMENT_BYTES = 1024;
    /** Largest segment size accepted: offsets are kept as ints. */
    public static final int MAX_SEGMENT_BYTES = 1 << 30;
    /**
     * Default preallocation: 8 MiB after the last record, zeroed in bursts of 4 MiB (about 4,000
     * appends of 1 KiB between bursts). See docs/benchmarks.md for the measurements behind it.
     */
    public static final long DEFAULT_PREALLOCATE_BYTES = 8L << 20;
    /** The encode buffer is kept between batches up to this size. */
    private static final int KEEP_BUFFER_BYTES = 4 << 20;

    private final Path dir;
    private final int segmentBytes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Segment> segments;
    private final TermRuns terms;
    private final SegmentPreallocator prealloc;
    private volatile long firstIndex;
    private volatile long lastIndex;
    private volatile boolean closed;

    // Writer-only state.
    private final CRC32C writeCrc = new CRC32C();
    private byte[] encodeBuffer = new byte[64 * 1024];
    private int[] positions = new int[256];
    private boolean directoryDirty;
    /** The last segment was cut since the last sync: its size changed, so sync() forces metadata too. */
    private boolean cutSinceSync;
    private StorageException failure;

    private FileLogStore(Path dir, int segmentBytes, LogRecovery.Recovered recovered, SegmentPreallocator prealloc) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.segments = new ArrayList<>(recovered.segments());
        this.terms = recovered.terms();
        this.firstIndex = recovered.firstIndex();
        this.lastIndex = recovered.lastIndex();
        this.prealloc = prealloc;
        if (!segments.isEmpty()) {
            prealloc.lock().lock();
            try {
                prealloc.written(segments.getLast(), segments.getLast().end());
            } finally {
                prealloc.lock().unlock();
            }
        }
    }

    /**
     * Opens (creating if needed) the log in {@code context.directory()}, repairing a torn tail,
     * with {@link #DEFAULT_PREALLOCATE_BYTES} of preallocation.
     */
    public static FileLogStore open(StorageContext context, int segmentBytes) {
        return open(context, segmentBytes, DEFAULT_PREALLOCATE_BYTES);
    }

    /**
     * Opens (creating if needed) the log in {@code context.directory()}, repairing a torn tail.
     *
     * @param preallocateBytes how many bytes after the last record a background thread keeps
     *                         zero-filled and synced; 0 turns preallocation off
     */
    public static FileLogStore open(StorageContext context, int segmentBytes, long preallocateBytes) {
        checkSegmentBytes(segmentBytes);
        if (preallocateBytes < 0) {
            throw new IllegalArgumentException("log preallocation must be >= 0 bytes (0 = off), got " + preallocateBytes);
        }
        return open(context, segmentBytes, dir -> new SegmentPreallocator(dir.toString(), preallocateBytes, segmentBytes,
                SegmentPreallocator.FILES, true));
    }

    /** For tests: the preallocator is made by {@code preallocator} from the log directory. */
    static FileLogStore open(StorageContext context, int segmentBytes,
            Function<Path, SegmentPreallocator> preallocator) {
        checkSegmentBytes(segmentBytes);
        Path dir = context.directory();
        LogRecovery.Recovered recovered = LogRecovery.recover(dir, context.events());
        return new FileLogStore(dir, segmentBytes, recovered, preallocator.apply(dir));
    }

    private static void checkSegmentBytes(int segmentBytes) {
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("log segment size must be between " + MIN_SEGMENT_BYTES + " and "
                    + MAX_SEGMENT_BYTES + " bytes, got " + segmentBytes);
        }
    }

    @Override
    public long firstIndex() {
        return firstIndex;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public long term(long index) {
        lock.readLock().lock();
        try {
            checkReadable(index, index);
            return terms.termOf(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public LogEntry entry(long index) {
        return read(index, index, Long.MAX_VALUE).getFirst();
    }

    @Override
    public List<LogEntry> read(long from, long toInclusive, long maxBytes) {
        lock.readLock().lock();
        try {
            // An empty range just past the end (e.g. "everything after lastIndex") is not misuse.
            if (from == toInclusive + 1 && from >= firstIndex && toInclusive <= lastIndex) {
                return List.of();
            }
            checkReadable(from, toInclusive);
            return EntryReader.read(segments, from, toInclusive, maxBytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkReadable(long from, long toInclusive) {
        if (closed) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
        long first = firstIndex;
        long last = lastIndex;
        if (from < first || toInclusive > last || from > toInclusive) {
            throw new IllegalArgumentException("cannot read [" + from + ", " + toInclusive + "]: the log holds ["
                    + first + ", " + last + "]");
        }
    }

    @Override
    public void append(List<LogEntry> entries) {
        checkWritable();
        if (entries.isEmpty()) {
            return;
        }
        validate(entries);
        try {
            int i = 0;
            while (i < entries.size()) {
                Segment current = segments.isEmpty() ? null : segments.getLast();
                if (current == null
                        || (current.count() > 0 && current.end() + LogRecords.frameLength(entries.get(i)) > segmentBytes)) {
                    current = roll(current, entries.get(i).index());
                }
                i = writeChunk(current, entries, i);
            }
        } catch (IOException e) {
            throw fail("cannot append to log segment in " + dir, e);
        } finally {
            if (encodeBuffer.length > KEEP_BUFFER_BYTES) {
                encodeBuffer = new byte[64 * 1024];
            }
        }
    }

    private void validate(List<LogEntry> entries) {
        long expected = lastIndex + 1;
        long previousTerm = lastIndex >= firstIndex ? terms.termOf(lastIndex) : -1;
        for (LogEntry e : entries) {
            if (e.index() != expected) {
                throw new IllegalArgumentException("non-contiguous append: expected index " + expected + ", got "
                        + e.index() + " (the log holds [" + firstIndex + ", " + lastIndex + "])");
            }
            if (e.term() < previousTerm) {
                throw new IllegalArgumentException("term of index " + e.index() + " is " + e.term()
                        + ", lower than the term before it (" + previousTerm + ")");
            }
            if (e.data().length > LogRecords.MAX_DATA) {
                throw new IllegalArgumentException("entry " + e.index() + " has " + e.data().length
                        + " bytes of data, more than the limit of " + LogRecords.MAX_DATA);
            }
            previousTerm = e.term();
            expected++;
        }
    }

    /** Encodes and writes as many entries from {@code from} as fit in {@code seg}; returns the next to write. */
    private int writeChunk(Segment seg, List<LogEntry> entries, int from) throws IOException {
        long start = seg.end();
        long pos = start;
        int n = 0;
        int bytes = 0;
        int i = from;
        while (i < entries.size()) {
            LogEntry e = entries.get(i);
            int len = LogRecords.frameLength(e);
            if ((n > 0 || seg.count() > 0) && pos + len > segmentBytes) {
                break;
            }
            ensureCapacity(bytes + len, n + 1);
            LogRecords.encode(e, encodeBuffer, bytes, writeCrc);
            positions[n++] = (int) pos;
            bytes += len;
            pos += len;
            i++;
        }
        prealloc.lock().lock();
        try {
            DurableFiles.writeFully(seg.channel(), ByteBuffer.wrap(encodeBuffer, 0, bytes), start);
            prealloc.written(seg, pos);
        } finally {
            prealloc.lock().unlock();
        }
        lock.writeLock().lock();
        try {
            seg.published(positions, n, pos);
            for (int k = from; k < i; k++) {
                terms.add(entries.get(k).index(), entries.get(k).term());
            }
            lastIndex = entries.get(i - 1).index();
        } finally {
            lock.writeLock().unlock();
        }
        return i;
    }

    private void ensureCapacity(int bytes, int records) {
        if (bytes > encodeBuffer.length) {
            encodeBuffer = Arrays.copyOf(encodeBuffer, Math.max(bytes, encodeBuffer.length * 2));
        }
        if (records > positions.length) {
            positions = Arrays.copyOf(positions, positions.length * 2);
        }
    }

    /**
     * Seals {@code current} (trimming preallocated zeros and forcing it, so only the last segment
     * can ever be torn or longer than its records) and starts a new segment.
     */
    private Segment roll(Segment current, long nextIndex) throws IOException {
        if (current != null && current.count() > 0) {
            boolean trimmed;
            prealloc.lock().lock();
            try {
                prealloc.detach();
                trimmed = current.trimToEnd();
            } finally {
                prealloc.lock().unlock();
            }
            // With metadata when the size changed: the trim must be durable before a newer segment exists.
            current.channel().force(trimmed);
        }
        Path path = dir.resolve(Segment.fileName(nextIndex));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            DurableFiles.writeFully(ch, ByteBuffer.wrap(StampedHeader.encode(Segment.MAGIC, nextIndex)), 0);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        Segment seg = new Segment(path, nextIndex, ch, new int[0], 0, StampedHeader.BYTES);
        lock.writeLock().lock();
        try {
            segments.add(seg);
        } finally {
            lock.writeLock().unlock();
        }
        directoryDirty = true;
        return seg;
    }

    @Override
    public void truncateSuffix(long afterIndex) {
        checkWritable();
        if (afterIndex < firstIndex - 1) {
            throw new IllegalArgumentException("cannot truncate after " + afterIndex + ": the log starts at "
                    + firstIndex + " (truncate after " + (firstIndex - 1) + " at the lowest)");
        }
        if (afterIndex >= lastIndex) {
            return;
        }
        lock.writeLock().lock();
        prealloc.lock().lock();
        try {
            boolean deleted = false;
            // Newest first, so that a crash part-way leaves a contiguous run of segments.
            while (!segments.isEmpty() && segments.getLast().firstIndex() > afterIndex) {
                Segment s = segments.removeLast();
                prealloc.detach();
                s.close();
                DurableFiles.delete(s.path());
                deleted = true;
            }
            if (!segments.isEmpty()) {
                Segment last = segments.getLast();
                // Cuts the file at the new end: no removed record stays readable after it, and
                // zeroing restarts from there.
                last.truncateAfter(afterIndex);
                prealloc.cut(last, last.end());
                cutSinceSync = true;
            }
            if (deleted) {
                AtomicFiles.fsyncDirectory(dir);
            }
            terms.truncateAfter(afterIndex);
            lastIndex = afterIndex;
        } catch (IOException e) {
            throw fail("cannot truncate log in " + dir + " after index " + afterIndex, e);
        } finally {
            prealloc.lock().unlock();
            lock.writeLock().unlock();
        }
    }

    @Override
    public void compactPrefix(long upToIndex) {
        checkWritable();
        if (upToIndex < firstIndex) {
            return;
        }
        // Recorded first: a crash after this point finishes the compaction on open.
        LogMeta.write(dir, upToIndex + 1);
        lock.writeLock().lock();
        prealloc.lock().lock();
        try {
            boolean emptied = upToIndex >= lastIndex;
            boolean deleted = false;
            while (!segments.isEmpty() && (emptied || segments.getFirst().lastIndex() <= upToIndex)) {
                Segment s = segments.removeFirst();
                if (segments.isEmpty()) {
                    prealloc.detach();
                }
                s.close();
                DurableFiles.delete(s.path());
                deleted = true;
            }
            if (deleted) {
                AtomicFiles.fsyncDirectory(dir);
            }
            firstIndex = upToIndex + 1;
            if (emptied) {
                terms.clear();
                lastIndex = upToIndex;
            } else {
                terms.dropBefore(upToIndex + 1);
            }
        } catch (RuntimeException e) {
            throw fail("cannot compact log in " + dir + " up to index " + upToIndex, e);
        } finally {
            prealloc.lock().unlock();
            lock.writeLock().unlock();
        }
    }

    @Override
    public void sync() {
        checkWritable();
        try {
            if (!segments.isEmpty()) {
                segments.getLast().channel().force(cutSinceSync);
            }
            cutSinceSync = false;
        } catch (IOException e) {
            throw fail("cannot sync log segment in " + dir, e);
        }
        if (directoryDirty) {
            AtomicFiles.fsyncDirectory(dir);
            directoryDirty = false;
        }
    }

    @Override
    public long sizeOnDisk() {
        lock.readLock().lock();
        try {
            long size = 0;
            for (Segment s : segments) {
                size += s.end();
            }
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        prealloc.close();
        try {
            if (failure == null) {
                sync();
            }
        } finally {
            lock.writeLock().lock();
            try {
                closed = true;
                segments.forEach(Segment::close);
                segments.clear();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** Bytes after which this log starts a new segment. */
    public int segmentBytes() {
        return segmentBytes;
    }

    /** How many segment files the log has now (for tests and metrics). */
    public int segmentCount() {
        lock.readLock().lock();
        try {
            return segments.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
        if (failure != null) {
            throw new StorageException("log " + dir + " failed earlier and accepts no more writes; reopen it to "
                    + "recover: " + failure.getMessage(), failure);
        }
    }

    /** Whether a thread keeps the bytes after the newest segment's last record zero-filled (for tests). */
    boolean preallocating() {
        return prealloc.active();
    }

    private StorageException fail(String what, Exception cause) {
        prealloc.halt();
        failure = cause instanceof StorageException se ? se
                : new StorageException(what + ": " + cause.getMessage(), cause);
        return failure;
    }
}
