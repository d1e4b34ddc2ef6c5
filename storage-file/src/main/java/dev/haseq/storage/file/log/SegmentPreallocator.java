package dev.haseq.storage.file.log;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the bytes after the last record of the segment being written allocated on disk and
 * zero-filled, on a background thread, so that the writer's sync flushes data into blocks that
 * already exist instead of also allocating them.
 *
 * <p><b>Why.</b> On ext4 an {@code fdatasync} after appending to a growing file must also allocate
 * the new blocks and write the new file size and allocation (through the journal, if the file
 * system has one); overwriting blocks that were allocated (and synced) earlier only writes the
 * data. On the reference VM (ext4 without a journal, virtio disk)
 * that is the difference between ~130-170 µs and ~90-120 µs for a 1 KiB append + sync. The zeros
 * are written here once, ahead of the writer, and synced every {@value #SYNC_EVERY} bytes, so the
 * metadata writes for the allocation are shared by many appends. On a file system where growing
 * a file costs no more than overwriting it, this gains little and costs only the zero writes.
 *
 * <p><b>Safety.</b> Zeroing never touches a record. The writer holds {@link #lock()} while it
 * writes records and, before releasing it, reports the segment and the file offset just past its
 * last record ({@link #written}); it also holds it while it cuts or trims a segment and reports that
 * ({@link #cut}, {@link #detach}). The zeroing thread holds the same lock while it writes, and
 * only writes at or after the reported end, up to {@code ahead} bytes past it and never past
 * {@code limit} (the segment size). Everything after a segment's last record is zero at all times
 * (a new segment ends at its header; recovery keeps a tail only if it is all zeros; truncation
 * cuts the file at the new end; a writer whose write failed part-way {@link #halt halts} this), so
 * writing zeros there changes no byte a reader or recovery could see: recovery reads the zeros as
 * the end of the log. While the writer
 * waits for the lock, it is held for at most one more {@value #WRITE}-byte write.
 *
 * <p><b>Errors.</b> Any I/O error here (a full disk, a failing device) stops preallocation for the
 * store with one warning; the writer is unaffected and reports its own errors.
 *
 * <p>Disk cost: at most {@code ahead} bytes of zeros after the last record of the newest segment.
 * Sealed segments are trimmed to their last record by the writer.
 */
final class SegmentPreallocator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SegmentPreallocator.class.getName());
    /**
     * Bytes per zero write. Unlike Chronicle's store, which writes through a mapping (where a write
     * dirties a whole large folio), records here are written with {@code FileChannel.write}, which
     * dirties only the file system blocks it touches, whatever folios the page cache used for the
     * zeros: measured on the reference VM, a 1 KiB append + sync wrote ~4.2 KiB to the disk after
     * zeros written in 4 KiB, 64 KiB or 1 MiB writes alike (~8-9 KiB on a growing file). 64 KiB
     * writes cost a quarter of the CPU of page-sized ones (~0.25 vs ~1 ms per MiB).
     */
    static final int WRITE = 64 << 10;
    /** Bytes zeroed per pass under the lock at most (fewer when the writer is waiting). */
    static final int CHUNK = 256 << 10;
    /** Zero bytes written between two syncs of them. */
    static final long SYNC_EVERY = 1 << 20;

    /** Opens a segment for zeroing (tests inject failures here). */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    static final Opener FILES = f -> FileChannel.open(f, StandardOpenOption.WRITE);

    private final String name;
    private final long ahead;
    private final long limit;
    private final Opener opener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread thread;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(WRITE);
    // Guarded by lock:
    private Segment target;
    private long end;
    private Segment open;
    private FileChannel channel;
    private long zeroedTo;
    private boolean bursting;
    // Zeroing thread only (channel and open are also written only by it, under the lock):
    private long unsynced;
    private volatile boolean stopped;
    private volatile boolean failed;

    /**
     * @param name       for log lines (the log directory)
     * @param ahead      bytes after the last record to keep zero-filled; 0 turns preallocation off
     *                   (no thread, and every method but {@link #lock()} does nothing)
     * @param limit      never zero past this file offset (the segment size)
     * @param background start the zeroing thread; false for tests, which call {@link #runOnce()}
     */
    SegmentPreallocator(String name, long ahead, long limit, Opener opener, boolean background) {
        if (ahead < 0) {
            throw new IllegalArgumentException("preallocation must be >= 0 bytes, got " + ahead);
        }
        this.name = name;
        this.ahead = ahead;
        this.limit = limit;
        this.opener = opener;
        this.stopped = ahead == 0;
        if (ahead > 0 && background) {
            thread = Thread.ofPlatform().daemon().name("haseq-file-log-prealloc").unstarted(this::run);
            thread.start();
        } else {
            thread = null;
        }
    }

    /** Held by the writer while it writes, cuts or trims the newest segment, until it has reported that. */
    ReentrantLock lock() {
        return lock;
    }

    /** Under {@link #lock()}: the records of {@code seg}, the segment now written, end at {@code end}. */
    void written(Segment seg, long end) {
        if (stopped) {
            return;
        }
        this.target = seg;
        this.end = end;
        if (thread != null && (seg != open || !bursting && zeroedTo < due())) {
            LockSupport.unpark(thread);
        }
    }

    /** Under {@link #lock()}: {@code seg}'s file was cut to {@code end} (its records end there too). */
    void cut(Segment seg, long end) {
        if (seg == open) {
            zeroedTo = Math.min(zeroedTo, end);
            bursting = false;
        }
        written(seg, end);
    }

    /** Under {@link #lock()}: no segment is written now (sealed, deleted, or none left); stop zeroing it. */
    void detach() {
        target = null;
        end = 0;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Zeroing starts again once the zeroed region is shorter than half of {@code ahead}. */
    private long due() {
        return Math.min(end + ahead / 2, limit);
    }

    private void run() {
        while (!stopped) {
            LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
            runOnce();
        }
        closeChannel();
    }

    /** Closes the channel of the segment being zeroed (on stop; an error there changes nothing). */
    private void closeChannel() {
        lock.lock();
        try {
            switchTo(null);
        } catch (IOException e) {
            // closing only
        } finally {
            lock.unlock();
        }
    }

    /** Stops zeroing without waiting (the writer failed: nothing after its records is certain any more). */
    void halt() {
        stopped = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Zeroes (and syncs) what is due now; one pass of the thread's loop. */
    void runOnce() {
        try {
            while (!stopped && zeroChunk()) {
                if (unsynced >= SYNC_EVERY) {
                    syncZeros();
                }
            }
            syncZeros();
        } catch (IOException | RuntimeException e) {
            failed = true;
            stopped = true;
            LOG.log(Level.WARNING, "log {0}: stopped preallocating disk blocks after the newest segment ({1});"
                    + " appends continue without it", name, e.toString());
        }
    }

    /** Zeroes up to {@link #CHUNK} bytes if some are due; false when nothing (more) is due now. */
    private boolean zeroChunk() throws IOException {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            if (target != open) {
                switchTo(target);
            }
            if (open == null) {
                return false;
            }
            long goal = Math.min(end + ahead, limit);
            // From the end of the records when the zeros do not reach past them (a new segment,
            // or the writer overtook): the file must extend past the records, or each sync would
            // still record a new file size.
            long start = Math.max(zeroedTo, end);
            if (!bursting && zeroedTo >= due() || start >= goal) {
                bursting = false;
                return false;
            }
            bursting = true;
            long stop = Math.min(start + CHUNK, goal);
            long p = start;
            while (p < stop) {
                // Up to the next WRITE boundary, so that later writes are aligned.
                zeros.clear().limit((int) Math.min(WRITE - (p & (WRITE - 1)), stop - p));
                while (zeros.hasRemaining()) {
                    p += channel.write(zeros, p);
                }
                if (lock.hasQueuedThreads()) {
                    break; // the writer waits: let it go first
                }
            }
            zeroedTo = p;
            unsynced += p - start;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the zeros' blocks durable, so later syncs of records in them only write data. */
    private void syncZeros() throws IOException {
        FileChannel ch = channel; // replaced only by this thread
        if (unsynced > 0 && ch != null) {
            ch.force(false);
        }
        unsynced = 0;
    }

    /** Under the lock: zero {@code seg} from now on (none if null). */
    private void switchTo(Segment seg) throws IOException {
        if (channel != null) {
            FileChannel old = channel;
            channel = null;
            open = null;
            old.close();
        }
        unsynced = 0;
        bursting = false;
        if (seg != null) {
            channel = opener.open(seg.path());
            open = seg;
            // Whatever the file holds after its records is zeros (see the class comment).
            zeroedTo = channel.size();
        }
    }

    /** Whether zeroing is on (false when configured off or stopped by an error). */
    boolean active() {
        return !stopped;
    }

    /** Whether an I/O error stopped preallocation (for tests and metrics). */
    boolean failed() {
        return failed;
    }

    /** How far the segment being zeroed is zero-filled (for tests). */
    long zeroedTo() {
        lock.lock();
        try {
            return zeroedTo;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread (waiting up to 10 s for it) and closes its channel. */
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
        } else {
            closeChannel();
        }
    }
}
