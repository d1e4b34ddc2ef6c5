package dev.haseq.consensus.raft.node;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStore} that keeps the most recently appended entries in memory and answers reads
 * of them without touching the store.
 *
 * <p><b>Why.</b> Nearly every read the driver makes is of entries appended moments ago: committed
 * entries handed to the applier, and appends to a follower one step behind. With the Chronicle
 * store each such read positions a tailer through Chronicle's index (measured at roughly a tenth
 * of the Raft threads' CPU in the pipelined benchmark); from memory it is a copy of references.
 *
 * <p>Holds at most {@value #MAX_ENTRIES} entries and about {@value #MAX_BYTES} bytes of entry
 * data, the newest ones, always a contiguous range ending at the store's last index; truncation
 * and compaction drop the affected entries. Everything else passes through to the store.
 *
 * <p><b>Threads.</b> As {@link LogStore}: one writer, reads from any thread. The cache itself is
 * guarded by its monitor; the writer's store call happens before the cache is updated, so a reader
 * that finds an entry cached could also have read it from the store.
 */
final class RecentEntriesLog implements LogStore {
    static final int MAX_ENTRIES = 8192;
    static final long MAX_BYTES = 32L << 20;

    private final LogStore store;
    /** Ring of cached entries; {@code ring[(first + i) % ring.length]} holds index {@code firstCached + i}. */
    private final LogEntry[] ring = new LogEntry[MAX_ENTRIES];
    private int head;
    private int size;
    private long firstCached;
    private long cachedBytes;

    RecentEntriesLog(LogStore store) {
        this.store = store;
    }

    @Override
    public long firstIndex() {
        return store.firstIndex();
    }

    @Override
    public long lastIndex() {
        return store.lastIndex();
    }

    @Override
    public long term(long index) {
        LogEntry e = cached(index);
        return e != null ? e.term() : store.term(index);
    }

    @Override
    public LogEntry entry(long index) {
        LogEntry e = cached(index);
        return e != null ? e : store.entry(index);
    }

    @Override
    public List<LogEntry> read(long from, long toInclusive, long maxBytes) {
        synchronized (this) {
            if (size > 0 && from >= firstCached && toInclusive < firstCached + size && from <= toInclusive) {
                List<LogEntry> out = new ArrayList<>((int) Math.min(toInclusive - from + 1, 1024));
                long bytes = 0;
                for (long i = from; i <= toInclusive; i++) {
                    LogEntry e = ring[slot(i)];
                    if (!out.isEmpty() && bytes + e.data().length > maxBytes) {
                        break;
                    }
                    out.add(e);
                    bytes += e.data().length;
                }
                return out;
            }
        }
        return store.read(from, toInclusive, maxBytes);
    }

    @Override
    public void append(List<LogEntry> entries) {
        store.append(entries);
        synchronized (this) {
            if (size > 0 && entries.getFirst().index() != firstCached + size) {
                clear(); // not contiguous with what is cached (cannot happen after a successful store append)
            }
            for (LogEntry e : entries) {
                if (size == 0) {
                    firstCached = e.index();
                }
                if (size == MAX_ENTRIES) {
                    dropOldest();
                }
                ring[slot(firstCached + size)] = e;
                size++;
                cachedBytes += e.data().length;
                while (cachedBytes > MAX_BYTES && size > 1) {
                    dropOldest();
                }
            }
        }
    }

    @Override
    public void truncateSuffix(long afterIndex) {
        store.truncateSuffix(afterIndex);
        synchronized (this) {
            while (size > 0 && firstCached + size - 1 > afterIndex) {
                int s = slot(firstCached + size - 1);
                cachedBytes -= ring[s].data().length;
                ring[s] = null;
                size--;
            }
        }
    }

    @Override
    public void compactPrefix(long upToIndex) {
        store.compactPrefix(upToIndex);
        synchronized (this) {
            if (upToIndex >= firstCached + size - 1) {
                clear(); // compacted beyond everything cached (e.g. a snapshot install resetting the log)
            }
            while (size > 0 && firstCached <= upToIndex) {
                dropOldest();
            }
        }
    }

    @Override
    public void sync() {
        store.sync();
    }

    @Override
    public long sizeOnDisk() {
        return store.sizeOnDisk();
    }

    @Override
    public void close() {
        synchronized (this) {
            clear();
        }
        store.close();
    }

    private synchronized LogEntry cached(long index) {
        return size > 0 && index >= firstCached && index < firstCached + size ? ring[slot(index)] : null;
    }

    private int slot(long index) {
        return (int) ((head + (index - firstCached)) % MAX_ENTRIES);
    }

    private void dropOldest() {
        cachedBytes -= ring[head].data().length;
        ring[head] = null;
        head = (head + 1) % MAX_ENTRIES;
        firstCached++;
        size--;
    }

    private void clear() {
        java.util.Arrays.fill(ring, null);
        head = 0;
        size = 0;
        cachedBytes = 0;
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
