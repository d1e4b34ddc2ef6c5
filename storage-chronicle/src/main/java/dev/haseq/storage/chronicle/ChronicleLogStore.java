package dev.haseq.storage.chronicle;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.chronicle.RecordQueue.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Raft log on a Chronicle Queue (provider {@code chronicle}, the default log store).
 *
 * <p><b>Truncation on an append-only queue.</b> Every excerpt is a checksummed {@link QueueRecord}
 * that carries the Raft index and term itself (Chronicle's own index restarts its sequence with
 * every roll cycle, so a Raft index is never derived from it). {@link #truncateSuffix(long)
 * truncateSuffix(x)} appends a <em>truncate</em> record meaning "entries above {@code x} written
 * before me are dead"; the next entry appended is {@code x + 1}. On open the queue is replayed in
 * order ({@link LogReplay}) to rebuild the in-memory map Raft index → (Chronicle index, term),
 * so repeated truncations and re-appends resolve to exactly the last live entry per index.
 *
 * <p><b>Compaction.</b> {@link #compactPrefix(long) compactPrefix(u)} first syncs (so the
 * truncations it may build on are durable before anything is forgotten), then durably writes the
 * {@link CompactionMarker} file ({@code firstIndex = u + 1}, surviving restarts, including
 * {@code u >= lastIndex()}, which leaves an empty log whose next index is {@code u + 1}), then
 * deletes every roll-cycle file that lies wholly before the first live entry (never the newest
 * file). Space is therefore released a roll cycle at a time ({@link QueueOptions}).
 *
 * <p><b>Durability.</b> {@link #append} is visible at once and durable after {@link #sync}, which
 * returns after an fdatasync of every cycle file written since the previous sync (plus a
 * directory fsync when a file was created); see {@link RecordQueue}. Truncate records become
 * durable with the next sync; compaction is durable when {@code compactPrefix} returns. After
 * {@code kill -9} every append survives (the data is in the OS page cache); after a power loss
 * everything before the last completed {@code sync()} survives, and the unsynced rest is lost as a
 * suffix. A record torn by a power loss fails its checksum: if only unreadable records follow it,
 * the open cuts them (appends a <em>cut</em> record naming them, reports
 * {@link StorageEvents#tornTailTruncated}); a valid record after an unreadable one is corruption
 * in the middle, and the open fails naming the file and offset.
 *
 * <p><b>Threads.</b> One writer ({@code append}, {@code truncateSuffix}, {@code compactPrefix},
 * {@code sync}, serialised by a lock anyway); any number of concurrent readers ({@code entry},
 * {@code read}, {@code term}, the index methods). Readers borrow a Chronicle tailer from a pool,
 * so each reading thread effectively keeps its own warm tailer and moves it by index. A reader
 * racing with a truncation of the very index it reads may see the old or the new entry.
 *
 * <p>Open cost: one sequential pass over the retained files, checking every record's checksum.
 * Memory: 16 bytes per retained entry.
 */
public final class ChronicleLogStore implements LogStore {
    static {
        ChronicleDefaults.apply();
    }

    private final RecordQueue queue;
    private final RaftIndexMap map = new RaftIndexMap();
    private final Object writeLock = new Object();
    private volatile long first;
    private volatile long last;

    private ChronicleLogStore(RecordQueue queue) {
        this.queue = queue;
    }

    /** Opens (creating if needed) the log in {@code dir}. */
    public static ChronicleLogStore open(Path dir, QueueOptions options, StorageEvents events) {
        RecordQueue q = new RecordQueue(dir, options);
        try {
            ChronicleLogStore s = new ChronicleLogStore(q);
            s.replay(events);
            return s;
        } catch (RuntimeException e) {
            q.close();
            throw e;
        }
    }

    private void replay(StorageEvents events) {
        long compacted = CompactionMarker.read(queue.directory());
        LogReplay replay = new LogReplay(compacted, map);
        queue.scan(new RecordQueue.ScanVisitor() {
            @Override
            public void record(QueueRecord r, Location where) {
                switch (r) {
                    case QueueRecord.Entry e -> replay.entry(e.index(), e.term(), where);
                    case QueueRecord.Truncate t -> replay.truncate(t.afterIndex(), where);
                    case QueueRecord.Cut c -> replay.cut(c.fromQueueIndex());
                    case QueueRecord.Block b -> throw new StorageException("block record at " + where
                            + " in a Raft log directory: is the block store pointed at the raft-log directory?");
                }
            }

            @Override
            public void unreadable(String problem, Location where, int length) {
                replay.unreadable(problem, where, length);
            }
        });
        replay.tornTail().ifPresent(torn -> {
            queue.append(new QueueRecord.Cut(torn.first().queueIndex()));
            queue.sync();
            events.tornTailTruncated(torn.first().file(), torn.first().offset(), torn.bytes());
        });
        first = replay.firstIndex();
        last = replay.lastIndex();
        map.dropBelow(first);
        map.dropAbove(last);
    }

    @Override
    public long firstIndex() {
        return first;
    }

    @Override
    public long lastIndex() {
        return last;
    }

    @Override
    public long term(long index) {
        checkRange(index);
        try {
            return map.term(index);
        } catch (RuntimeException e) {
            throw outOfRangeOr(index, e);
        }
    }

    @Override
    public LogEntry entry(long index) {
        checkRange(index);
        try {
            long qi = map.queueIndex(index);
            RecordQueue.Read r = queue.read(qi);
            if (r.record() instanceof QueueRecord.Entry e && e.index() == index) {
                return new LogEntry(e.index(), e.term(), e.data());
            }
            throw new StorageException("expected entry " + index + " at Chronicle index 0x" + Long.toHexString(qi)
                    + " in " + queue.directory() + " but found " + describe(r.record()));
        } catch (RuntimeException e) {
            throw outOfRangeOr(index, e);
        }
    }

    /**
     * A reader that raced with {@code compactPrefix} or {@code truncateSuffix} may find the slot or
     * the file gone: that is the index leaving the log (an {@link IllegalArgumentException}), not
     * corruption. Anything else is rethrown as it is.
     */
    private RuntimeException outOfRangeOr(long index, RuntimeException e) {
        checkRange(index);
        return e;
    }

    @Override
    public List<LogEntry> read(long from, long toInclusive, long maxBytes) {
        if (from > toInclusive) {
            return List.of();
        }
        checkRange(from);
        checkRange(toInclusive);
        RangeReader r;
        try {
            r = new RangeReader(from, toInclusive, maxBytes);
            queue.readFrom(r.expectedQueueIndex, r::accept);
        } catch (RuntimeException e) {
            throw outOfRangeOr(from, e);
        }
        if (!r.full && r.next <= toInclusive) {
            checkRange(r.next); // truncated meanwhile: out of range
            throw new StorageException("the queue in " + queue.directory() + " ended before entry " + r.next);
        }
        return r.out;
    }

    /** Collects live entries in order, skipping dead entries and markers between them. */
    private final class RangeReader {
        final List<LogEntry> out;
        final long to;
        final long maxBytes;
        final long from;
        long next;
        long bytes;
        long expectedQueueIndex;
        boolean full;

        RangeReader(long from, long to, long maxBytes) {
            this.out = new ArrayList<>((int) Math.min(to - from + 1, 1024));
            this.to = to;
            this.maxBytes = maxBytes;
            this.from = from;
            this.next = from;
            this.expectedQueueIndex = map.queueIndex(from);
        }

        boolean accept(RecordQueue.Read r) {
            if (r.queueIndex() < expectedQueueIndex) {
                return true; // a dead entry or a marker between two live entries
            }
            if (r.queueIndex() != expectedQueueIndex || !(r.orThrow() instanceof QueueRecord.Entry e)
                    || e.index() != next) {
                checkRange(from);
                checkRange(next);
                throw new StorageException("expected entry " + next + " at Chronicle index 0x"
                        + Long.toHexString(expectedQueueIndex) + " in " + queue.directory() + " but found "
                        + describe(r.record()) + " at 0x" + Long.toHexString(r.queueIndex()));
            }
            if (!out.isEmpty() && bytes + e.data().length > maxBytes) {
                full = true;
                return false;
            }
            out.add(new LogEntry(e.index(), e.term(), e.data()));
            bytes += e.data().length;
            if (++next > to) {
                return false;
            }
            expectedQueueIndex = map.queueIndex(next);
            return true;
        }
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            long expect = last + 1;
            long prevTerm = last >= first ? map.term(last) : 0;
            for (LogEntry e : entries) {
                if (e.index() != expect) {
                    throw new IllegalArgumentException("append must continue the log at index " + expect
                            + " without gaps, got " + e.index() + " (log is [" + first + ", " + last + "])");
                }
                if (e.data().length > RecordQueue.MAX_RECORD_BYTES - 64) {
                    throw new IllegalArgumentException("entry " + e.index() + " has " + e.data().length
                            + " bytes of data; the Chronicle log takes at most " + (RecordQueue.MAX_RECORD_BYTES - 64));
                }
                if (e.term() < prevTerm) {
                    throw new IllegalArgumentException("entry " + e.index() + " has term " + e.term()
                            + ", below the previous term " + prevTerm);
                }
                prevTerm = e.term();
                expect++;
            }
            for (LogEntry e : entries) {
                long qi = queue.append(new QueueRecord.Entry(e.index(), e.term(), e.data()));
                map.put(e.index(), qi, e.term());
                last = e.index(); // volatile write publishes the slot to readers
            }
        }
    }

    @Override
    public void truncateSuffix(long afterIndex) {
        synchronized (writeLock) {
            if (afterIndex < first - 1) {
                throw new IllegalArgumentException("cannot truncate after " + afterIndex
                        + ": entries up to " + (first - 1) + " are compacted (log is [" + first + ", " + last + "])");
            }
            if (afterIndex >= last) {
                return;
            }
            queue.append(new QueueRecord.Truncate(afterIndex));
            last = afterIndex;
            map.dropAbove(afterIndex);
        }
    }

    @Override
    public void compactPrefix(long upToIndex) {
        synchronized (writeLock) {
            if (upToIndex < first) {
                return;
            }
            queue.sync();
            CompactionMarker.write(queue.directory(), upToIndex);
            first = upToIndex + 1;
            if (upToIndex >= last) {
                last = upToIndex;
            }
            map.dropBelow(first);
            int keepFrom = last >= first ? queue.cycleOf(map.queueIndex(first)) : Integer.MAX_VALUE;
            queue.deleteCyclesBelow(keepFrom);
        }
    }

    @Override
    public void sync() {
        synchronized (writeLock) {
            queue.sync();
        }
    }

    @Override
    public long sizeOnDisk() {
        return queue.sizeOnDisk();
    }

    /** Where entry {@code index}'s record is on disk (diagnostics). */
    ChronicleLogInspector.RecordLocation locate(long index) {
        checkRange(index);
        RecordQueue.Read r = queue.readAt(map.queueIndex(index));
        return new ChronicleLogInspector.RecordLocation(r.where().file(), r.where().offset(),
                r.where().offset() + r.length());
    }

    /** The queue's cycle files, oldest first (for tests and diagnostics). */
    List<Path> files() {
        return queue.files();
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            queue.close();
        }
    }

    private void checkRange(long index) {
        long f = first;
        long l = last;
        if (index < f || index > l) {
            throw new IllegalArgumentException("index " + index + " is outside the log [" + f + ", " + l + "]"
                    + (l < f ? " (empty)" : ""));
        }
    }

    private static String describe(QueueRecord r) {
        if (r == null) {
            return "an unreadable record";
        }
        return switch (r) {
            case QueueRecord.Entry e -> "entry " + e.index();
            case QueueRecord.Truncate t -> "a truncate record (after " + t.afterIndex() + ")";
            case QueueRecord.Cut c -> "a cut record";
            case QueueRecord.Block b -> "a block record";
        };
    }
}
