package dev.haseq.storage.chronicle;

import dev.haseq.api.storage.StorageException;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A Chronicle queue of {@link QueueRecord}s in one directory, owned by one store: appends, durable
 * sync, positional reads with pooled tailers, and deletion of whole cycle files.
 *
 * <p><b>Durability.</b> The queue is built with {@code SyncMode.SYNC}, so every msync Chronicle
 * performs itself is a real one. {@link #sync()} does not rely on {@code appender.sync()}, though:
 * in chronicle-bytes 2026.4 that msyncs only the newly written range of the <em>current</em> cycle
 * file (not the previous file after a roll, nor Chronicle's index pages and header), a failed
 * msync is only logged, and it silently becomes a no-op when the native posix binding fails to
 * load. Instead it fdatasyncs ({@code FileChannel.force(false)}) every cycle file written since
 * the last sync, which on Linux writes back pages dirtied through Chronicle's memory mapping, and
 * fsyncs the directory (and Chronicle's metadata file) whenever a new cycle file was created.
 * A {@link Preallocator} keeps the blocks just past the write position allocated and zero-filled,
 * so those fdatasyncs flush data instead of also writing block-allocation metadata.
 *
 * <p><b>Threads.</b> {@link #append} and {@link #sync} from one writer at a time (callers hold
 * their own lock); {@link #read} from any thread: each read borrows a tailer from a pool, so
 * concurrent readers never share one and a reading thread reuses a warm tailer.
 *
 * <p>A lock file ({@value #LOCK_FILE}) keeps a second process or store from opening the same
 * directory.
 */
final class RecordQueue implements AutoCloseable {
    static final String LOCK_FILE = "haseq.lock";
    static final String METADATA_FILE = "metadata.cq4t";
    /**
     * Chronicle maps its files in blocks of this size (sparse: unwritten parts take no disk) and
     * accepts excerpts of at most a quarter of it; 256 MiB allows records up to 64 MiB, the
     * default frame limit of {@code Envelope}.
     */
    static final long BLOCK_SIZE = 256L << 20;
    /** The largest encoded record accepted (Chronicle's limit with room for its header). */
    static final int MAX_RECORD_BYTES = (int) (BLOCK_SIZE / 4) - 1024;

    /**
     * An excerpt read back: its record, or (when it is not a valid record) {@code record == null}
     * and the problem.
     */
    record Read(long queueIndex, QueueRecord record, String problem, Location where, int length) {
        QueueRecord orThrow() {
            if (record == null) {
                throw new StorageException("corrupt record at " + where + ": " + problem);
            }
            return record;
        }
    }

    /** Where an excerpt is: its file (null if unknown), the offset of its payload, its Chronicle index. */
    record Location(Path file, long offset, long queueIndex) {
        @Override
        public String toString() {
            return (file != null ? file.toString() : "an unknown cycle file") + " at offset " + offset
                    + " (Chronicle index 0x" + Long.toHexString(queueIndex) + ")";
        }
    }

    /** Receives every excerpt of a {@link #scan}. */
    interface ScanVisitor {
        void record(QueueRecord record, Location where);

        /** An excerpt of {@code length} bytes that is not a valid record. */
        void unreadable(String problem, Location where, int length);
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final ExcerptAppender appender;
    private final Preallocator preallocator;
    private final ConcurrentSkipListMap<Integer, File> cycleFiles = new ConcurrentSkipListMap<>();
    /** Per cycle, the file offset just past the last excerpt seen: the bytes the file really uses. */
    private final ConcurrentHashMap<Integer, Long> usedBytes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<ExcerptTailer> tailers = new ConcurrentLinkedDeque<>();
    /** Cycle files written since the last sync, in write order. Writer only. */
    private final Map<Integer, File> unsynced = new LinkedHashMap<>();
    private int appendCycle = Integer.MIN_VALUE;
    private FileChannel appendChannel;
    private int appendChannelCycle = Integer.MIN_VALUE;
    private boolean directoryUnsynced = true;
    private byte[] scratch = new byte[4096];
    private volatile boolean closed;

    RecordQueue(Path dir, QueueOptions options) {
        ChronicleDefaults.apply();
        this.dir = dir.toAbsolutePath();
        try {
            boolean fresh = !Files.isDirectory(this.dir);
            Files.createDirectories(this.dir);
            if (fresh && this.dir.getParent() != null) {
                FileSync.forceDirectory(this.dir.getParent());
            }
            lockChannel = FileChannel.open(this.dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException("cannot create " + this.dir + ": " + e.getMessage(), e);
        }
        lock = lock(lockChannel, this.dir);
        MonotonicTime time = new MonotonicTime(options.clock());
        try {
            queue = SingleChronicleQueueBuilder.binary(this.dir)
                    .rollCycle(options.chronicleRollCycle())
                    .indexSpacing(options.indexSpacing())
                    .blockSize(BLOCK_SIZE)
                    .syncMode(SyncMode.SYNC)
                    .timeProvider(time)
                    .storeFileListener(new Listener())
                    .build();
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw new StorageException("cannot open the Chronicle queue in " + this.dir + ": " + e.getMessage(), e);
        }
        rollCycle = queue.rollCycle();
        int lastCycle = queue.lastCycle();
        if (lastCycle != Integer.MIN_VALUE && lastCycle >= 0) {
            time.raiseFloor(queue.epoch() + (long) lastCycle * rollCycle.lengthInMillis());
        }
        appender = queue.createAppender();
        appender.singleThreadedCheckDisabled(true);
        preallocator = new Preallocator(this.dir.toString(), options.preallocateBytes());
    }

    private static FileLock lock(FileChannel ch, Path dir) {
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                closeQuietly(ch);
                throw new StorageException(dir + " is in use by another process (" + LOCK_FILE
                        + " is locked): two nodes must not share a raft_dir");
            }
            return l;
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StorageException(dir + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StorageException("cannot lock " + dir.resolve(LOCK_FILE) + ": " + e.getMessage(), e);
        }
    }

    Path directory() {
        return dir;
    }

    Preallocator preallocator() {
        return preallocator;
    }

    /** Appends one record; returns its Chronicle index. Visible to readers at once, durable after {@link #sync}. */
    long append(QueueRecord r) {
        int n = QueueRecord.encodedSize(r);
        if (n > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + n + " bytes exceeds the Chronicle store's limit of "
                    + MAX_RECORD_BYTES + " bytes");
        }
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        QueueRecord.encode(r, scratch);
        long index;
        long end;
        int cycle;
        preallocator.lock().lock();
        try {
            try (DocumentContext dc = appender.writingDocument()) {
                Bytes<?> b = dc.wire().bytes();
                b.write(scratch, 0, n);
                end = b.writePosition();
            } catch (RuntimeException | InternalError e) {
                // InternalError: the JVM's report of a SIGBUS on a mapped page, e.g. a full disk.
                throw new StorageException("cannot append to the Chronicle queue in " + dir + ": " + e, e);
            }
            index = appender.lastIndexAppended();
            cycle = rollCycle.toCycle(index);
            if (cycle != appendCycle) {
                appendCycle = cycle;
                File f = appender.currentFile();
                if (f != null) {
                    cycleFiles.put(cycle, f);
                }
                directoryUnsynced = true; // a new cycle file may have been created
            }
            preallocator.written(cycleFiles.get(cycle), end);
        } finally {
            preallocator.lock().unlock();
        }
        unsynced.putIfAbsent(cycle, cycleFiles.get(cycle));
        usedBytes.merge(cycle, end, Math::max);
        return index;
    }

    /** Makes every record appended so far durable (see the class comment). */
    void sync() {
        if (unsynced.isEmpty() && !directoryUnsynced) {
            return;
        }
        try {
            for (Map.Entry<Integer, File> e : unsynced.entrySet()) {
                if (e.getValue() == null) {
                    throw new StorageException("cannot tell which file holds cycle " + e.getKey() + " in " + dir);
                }
                force(e.getKey(), e.getValue());
            }
            if (directoryUnsynced) {
                Path meta = dir.resolve(METADATA_FILE);
                if (Files.exists(meta)) {
                    try (FileChannel ch = FileChannel.open(meta, StandardOpenOption.READ)) {
                        ch.force(false);
                    }
                }
                FileSync.forceDirectory(dir);
            }
        } catch (IOException e) {
            throw new StorageException("fsync failed in " + dir + ": " + e.getMessage()
                    + " (data appended since the last successful sync may not be durable)", e);
        }
        unsynced.clear();
        directoryUnsynced = false;
    }

    private void force(int cycle, File file) throws IOException {
        if (cycle != appendCycle) { // a cycle that ended since the last sync: a one-off channel
            try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
                ch.force(false);
            }
            return;
        }
        if (appendChannel == null || appendChannelCycle != cycle) { // keep the current cycle's channel open
            closeQuietly(appendChannel);
            appendChannel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
            appendChannelCycle = cycle;
        }
        appendChannel.force(false);
    }

    /** The record at {@code queueIndex}; a {@link StorageException} if it is not a valid record. */
    Read read(long queueIndex) {
        Read r = readAt(queueIndex);
        r.orThrow();
        return r;
    }

    /** The excerpt at {@code queueIndex}, valid or not. */
    Read readAt(long queueIndex) {
        ExcerptTailer t = borrow();
        try {
            if (!t.moveToIndex(queueIndex)) {
                throw new StorageException("no record at Chronicle index 0x" + Long.toHexString(queueIndex) + " in " + dir);
            }
            return readNext(t, queueIndex);
        } finally {
            giveBack(t);
        }
    }

    /**
     * Reads excerpts in queue order starting at {@code queueIndex} (unreadable ones included, with
     * a null record); the visitor returns false to stop.
     */
    void readFrom(long queueIndex, java.util.function.Predicate<Read> visitor) {
        ExcerptTailer t = borrow();
        try {
            if (!t.moveToIndex(queueIndex)) {
                throw new StorageException("no record at Chronicle index " + Long.toHexString(queueIndex) + " in " + dir);
            }
            while (true) {
                Read r = readNext(t, -1);
                if (r == null || !visitor.test(r)) {
                    return;
                }
            }
        } finally {
            giveBack(t);
        }
    }

    private Read readNext(ExcerptTailer t, long expected) {
        try (DocumentContext dc = t.readingDocument()) {
            if (!dc.isPresent()) {
                if (expected >= 0) {
                    throw new StorageException("no record at Chronicle index " + Long.toHexString(expected) + " in " + dir);
                }
                return null;
            }
            long idx = dc.index();
            noteFile(idx, t);
            if (expected >= 0 && idx != expected) {
                throw new StorageException("Chronicle returned index " + Long.toHexString(idx) + " for "
                        + Long.toHexString(expected) + " in " + dir);
            }
            Bytes<?> b = dc.wire().bytes();
            long pos = b.readPosition();
            int len = (int) b.readRemaining();
            byte[] buf = new byte[len];
            b.read(buf, 0, len);
            usedBytes.merge(rollCycle.toCycle(idx), pos + len, Math::max);
            try {
                return new Read(idx, QueueRecord.decode(buf, len), null, where(idx, pos), len);
            } catch (IllegalArgumentException e) {
                return new Read(idx, null, e.getMessage(), where(idx, pos), len);
            }
        }
    }

    /** Visits every excerpt from the start of the queue, in order. */
    void scan(ScanVisitor v) {
        try (ExcerptTailer t = queue.createTailer()) {
            t.singleThreadedCheckDisabled(true);
            t.toStart();
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    long idx = dc.index();
                    noteFile(idx, t);
                    Bytes<?> b = dc.wire().bytes();
                    long pos = b.readPosition();
                    int len = (int) b.readRemaining();
                    if (scratch.length < len) {
                        scratch = new byte[Math.max(len, scratch.length * 2)];
                    }
                    b.read(scratch, 0, len);
                    usedBytes.merge(rollCycle.toCycle(idx), pos + len, Math::max);
                    QueueRecord r;
                    try {
                        r = QueueRecord.decode(scratch, len);
                    } catch (IllegalArgumentException e) {
                        v.unreadable(e.getMessage(), where(idx, pos), len);
                        continue;
                    }
                    v.record(r, where(idx, pos));
                }
            }
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StorageException("cannot read the Chronicle queue in " + dir + ": " + e, e);
        }
    }

    /** Remembers which file holds the cycle a tailer is reading (Chronicle's listener is not called for every file). */
    private void noteFile(long queueIndex, ExcerptTailer t) {
        int cycle = rollCycle.toCycle(queueIndex);
        if (!cycleFiles.containsKey(cycle)) {
            File f = t.currentFile();
            if (f != null) {
                cycleFiles.put(cycle, f);
            }
        }
    }

    Location where(long queueIndex, long position) {
        File f = cycleFiles.get(rollCycle.toCycle(queueIndex));
        return new Location(f == null ? null : f.toPath(), position, queueIndex);
    }

    /** The cycles that have a file, oldest first. */
    List<Integer> cycles() {
        int firstCycle = queue.firstCycle();
        int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE || lastCycle == Integer.MIN_VALUE || firstCycle > lastCycle) {
            return List.of();
        }
        return queue.listCyclesBetween(firstCycle, lastCycle).stream().map(Long::intValue).toList();
    }

    /** How many excerpts the cycle holds. */
    long excerptsInCycle(int cycle) {
        ExcerptTailer t = borrow();
        try {
            return t.excerptsInCycle(cycle);
        } finally {
            giveBack(t);
        }
    }

    /** The Chronicle index of the {@code seq}-th excerpt of {@code cycle}. */
    long queueIndex(int cycle, long seq) {
        return rollCycle.toIndex(cycle, seq);
    }

    int cycleOf(long queueIndex) {
        return rollCycle.toCycle(queueIndex);
    }

    /** The cycle the appender last wrote to, or {@code Integer.MIN_VALUE}. */
    int lastCycle() {
        return queue.lastCycle();
    }

    /**
     * Deletes every cycle file whose cycle is below {@code cycle}, except the newest file of the
     * queue. Returns the number of files deleted.
     */
    int deleteCyclesBelow(int cycle) {
        int keep = Math.min(cycle, queue.lastCycle());
        int deleted = 0;
        closeIdleTailers(); // they may map the files about to go; unmapped files free their space
        for (Map.Entry<Integer, File> e : new ArrayList<>(cycleFiles.headMap(keep, false).entrySet())) {
            try {
                if (Files.deleteIfExists(e.getValue().toPath())) {
                    deleted++;
                }
                cycleFiles.remove(e.getKey());
                unsynced.remove(e.getKey());
                usedBytes.remove(e.getKey());
            } catch (IOException ex) {
                throw new StorageException("cannot delete " + e.getValue() + ": " + ex.getMessage(), ex);
            }
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
            directoryUnsynced = true;
        }
        return deleted;
    }

    /** The queue files (for tests and metrics). */
    List<Path> files() {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Bytes the queue files use: per file, up to the end of its last record (Chronicle's files are
     * sparse and their logical size is a multiple of {@link #BLOCK_SIZE}, so {@code Files.size}
     * would overstate it by far).
     */
    long sizeOnDisk() {
        long total = 0;
        for (long v : usedBytes.values()) {
            total += v;
        }
        return total;
    }

    private ExcerptTailer borrow() {
        if (closed) {
            throw new IllegalStateException("the store in " + dir + " is closed");
        }
        ExcerptTailer t = tailers.pollFirst();
        if (t == null) {
            t = queue.createTailer();
            t.singleThreadedCheckDisabled(true);
        }
        return t;
    }

    private void giveBack(ExcerptTailer t) {
        if (closed) {
            t.close();
        } else {
            tailers.addFirst(t);
        }
    }

    private void closeIdleTailers() {
        ExcerptTailer t;
        while ((t = tailers.pollFirst()) != null) {
            t.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        preallocator.close();
        closeIdleTailers();
        closeQuietly(appendChannel);
        try {
            appender.close();
            queue.close();
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort while closing
            }
        }
    }

    /** Records which file holds which cycle, for sync and deletion. */
    private final class Listener implements StoreFileListener {
        @Override
        public void onAcquired(int cycle, File file) {
            cycleFiles.put(cycle, file);
        }

        @Override
        public void onReleased(int cycle, File file) {
            // kept: a released file still exists and may be synced or deleted later
        }
    }
}
