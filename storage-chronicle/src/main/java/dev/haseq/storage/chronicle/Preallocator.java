package dev.haseq.storage.chronicle;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import com.sun.nio.file.ExtendedOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the region just ahead of a queue's write position backed by real, zero-filled disk blocks,
 * on a background thread.
 *
 * <p><b>Why.</b> Chronicle's cycle files are sparse and written through a memory mapping. The
 * first write to a page in a hole costs a page fault that reserves a block, and the next fdatasync
 * must then allocate the blocks and write the allocation metadata (inode, extent tree; through the
 * journal on a journalling file system) as well as flush the data. On the reference machine (ext4
 * without a journal, on a virtio disk) that makes a 1 KiB append + fdatasync ~1.7x as
 * slow as an overwrite of an allocated block, and a 64-entry batch sync ~1.5x as slow; in the
 * three-replica Raft benchmark, where every entry pays such a sync on a majority, it cut
 * throughput by more than half. Chronicle's own pretoucher is an Enterprise feature (a no-op here),
 * and {@code fallocate} would leave "unwritten" extents whose conversion is still a metadata write
 * at the next sync; so this class writes actual zeros and fdatasyncs them once, off the writer's path.
 *
 * <p><b>Safety.</b> Zeroing never changes what a reader sees: it only writes zeros over bytes that
 * are zero. The appender holds {@link #lock()} while it writes an excerpt and reports the file
 * offset just past it ({@link #written}) before releasing it; the zeroing thread holds the same
 * lock while it checks and writes one chunk, and only touches chunks that start at least
 * {@link #SLACK} bytes past the reported end, that lie within the file's current length (it never
 * grows a file), and whose current content is all zeros (checked under the lock, so nothing can
 * write there in between). A chunk that is not all zeros stops preallocation for that file. Any
 * I/O error (e.g. a full disk) stops preallocation for the queue with one log line; appends are
 * unaffected and report their own errors.
 *
 * <p>Disk cost: up to {@code ahead} bytes of zeros past the last excerpt of each cycle file.
 */
final class Preallocator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Preallocator.class.getName());
    /** Bytes zeroed per lock hold: small enough that an appender waiting for the lock waits briefly. */
    static final int CHUNK = 256 << 10;
    /** Chunks zeroed between two fdatasyncs of the zeros. */
    static final int CHUNKS_PER_SYNC = 4;
    /** Distance kept between the last excerpt's end and the first byte zeroed. */
    static final long SLACK = 64 << 10;
    private static final long PAGE = 4096;

    private final String name;
    private final long ahead;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread thread;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
    /** Page-aligned, as {@code O_DIRECT} reads require. */
    private final ByteBuffer check = ByteBuffer.allocateDirect(CHUNK + (int) PAGE).alignedSlice((int) PAGE);
    // Guarded by lock:
    private File file;
    private long end;
    private File channelFile;
    private FileChannel channel;
    private FileChannel checkChannel;
    private boolean directWarned;
    private long zeroedTo;
    private boolean fileDone;
    private volatile long requestedTo;
    private volatile boolean stopped;

    /**
     * @param name  for the thread name and log lines (the queue directory)
     * @param ahead how many bytes past the last excerpt to keep zero-filled; 0 starts no thread
     */
    Preallocator(String name, long ahead) {
        this.name = name;
        this.ahead = ahead;
        if (ahead > 0) {
            thread = Thread.ofPlatform().daemon().name("haseq-chronicle-prealloc").unstarted(this::run);
            thread.start();
        } else {
            thread = null;
        }
    }

    /** Held by the appender while it writes an excerpt, until after {@link #written}. */
    ReentrantLock lock() {
        return lock;
    }

    /**
     * Under {@link #lock()}: the excerpt just written ends at file offset {@code end} of
     * {@code f}. Wakes the zeroing thread when the zeroed region is getting short.
     */
    void written(File f, long end) {
        if (thread == null || f == null) {
            return;
        }
        this.file = f;
        this.end = end;
        if (!f.equals(channelFile) || end + ahead / 2 > zeroedTo && !fileDone) {
            requestedTo = end + ahead;
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (!stopped) {
            LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
            try {
                boolean more = true;
                while (!stopped && more) {
                    int chunks = 0;
                    while (chunks < CHUNKS_PER_SYNC && (more = zeroOneChunk())) {
                        chunks++;
                    }
                    FileChannel ch = channel;
                    if (chunks > 0 && ch != null && ch.isOpen()) {
                        // The zeros are now allocated, durable blocks: later fdatasyncs only flush
                        // data. A few chunks at a time, because an appender's sync of the same file
                        // waits for this writeback.
                        ch.force(false);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: stopped preallocating disk blocks ahead of the queue"
                        + " ({1}); appends continue without it", name, e.toString());
                stopped = true;
            }
        }
        lock.lock();
        try {
            closeChannel();
        } finally {
            lock.unlock();
        }
    }

    /** Zeroes one chunk if one is due; false when nothing (more) is due now. */
    private boolean zeroOneChunk() throws IOException {
        lock.lock();
        try {
            if (stopped || file == null) {
                return false;
            }
            if (!file.equals(channelFile)) {
                closeChannel();
                channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
                checkChannel = openDirect(file);
                channelFile = file;
                zeroedTo = 0;
                fileDone = false;
            }
            if (fileDone) {
                return false;
            }
            long start = Math.max(zeroedTo, (end + SLACK + PAGE - 1) & -PAGE);
            if (start >= Math.min(requestedTo, end + ahead) || start + CHUNK > channel.size()) {
                return false;
            }
            check.clear();
            FileChannel reader = checkChannel != null ? checkChannel : channel;
            while (check.hasRemaining() && reader.read(check, start + check.position()) >= 0) {
                // read the whole chunk (holes read as zeros)
            }
            check.flip();
            zeros.clear();
            if (check.remaining() != CHUNK || check.mismatch(zeros) != -1) {
                fileDone = true; // not ours to overwrite: leave this file alone
                LOG.log(System.Logger.Level.DEBUG, "{0}: bytes past the write position in {1} at {2} are not"
                        + " zero; not preallocating that file further", name, file, start);
                return false;
            }
            // One page per write: the page cache then holds single-page folios here, so a later
            // write through Chronicle's mapping dirties (and a sync writes back) 4 KiB, not a
            // large folio. Measured with 32-entry batches: 86 KB written per sync this way,
            // 167 KB with one 256 KiB write per chunk.
            for (long off = 0; off < CHUNK; off += PAGE) {
                zeros.limit((int) (off + PAGE)).position((int) off);
                while (zeros.hasRemaining()) {
                    channel.write(zeros, start + zeros.position());
                }
            }
            zeroedTo = start + CHUNK;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A channel that reads around the page cache ({@code O_DIRECT}), or null where the file system
     * does not support it. A buffered read of the region ahead would fill the page cache with
     * large folios (read-ahead), and a write through Chronicle's mapping dirties a whole folio:
     * measured, that made every sync write ~10x the bytes appended, undoing the gain.
     */
    private FileChannel openDirect(File f) {
        try {
            return FileChannel.open(f.toPath(), StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            if (!directWarned) {
                directWarned = true;
                LOG.log(System.Logger.Level.DEBUG, "{0}: no O_DIRECT reads in {1} ({2}); checking with buffered reads",
                        name, f, e.toString());
            }
            return null;
        }
    }

    private void closeChannel() {
        if (checkChannel != null) {
            try {
                checkChannel.close();
            } catch (IOException e) {
                // read-only
            }
            checkChannel = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written through it that a sync depends on
            }
            channel = null;
            channelFile = null;
        }
    }

    /** Whether preallocation gave up on the current file because of non-zero bytes (for tests). */
    boolean gaveUpOnFile() {
        lock.lock();
        try {
            return fileDone;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a zeroing thread exists (for tests). */
    boolean active() {
        return thread != null;
    }

    /** How far the current file is zero-filled (for tests). */
    long zeroedTo() {
        lock.lock();
        try {
            return zeroedTo;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
