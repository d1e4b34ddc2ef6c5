package dev.haseq.consensus.raft.core;

import dev.haseq.api.storage.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain in-memory {@link LogView} with {@code LogStore}'s writes: contiguous appends,
 * {@link #truncateSuffix}, and {@link #compactPrefix} (which may go past the last entry, leaving an
 * empty log that continues at {@code upTo + 1}). The log the focused core tests persist into, and
 * what the simulation's logs keep their entries in. A read or write outside the log throws, so a
 * core that asks for what it dropped fails the test. Not thread-safe.
 */
public final class InMemoryLog implements LogView {
    private long first = 1;
    private final ArrayList<LogEntry> entries = new ArrayList<>();

    /** An independent copy (the entries themselves are immutable and shared). */
    public InMemoryLog copy() {
        InMemoryLog c = new InMemoryLog();
        c.first = first;
        c.entries.addAll(entries);
        return c;
    }

    @Override
    public long firstIndex() {
        return first;
    }

    @Override
    public long lastIndex() {
        return first + entries.size() - 1;
    }

    @Override
    public long term(long index) {
        return entry(index).term();
    }

    public boolean has(long index) {
        return index >= first && index <= lastIndex();
    }

    public LogEntry entry(long index) {
        if (!has(index)) {
            throw new IllegalArgumentException("index " + index + " outside " + first + ".." + lastIndex());
        }
        return entries.get((int) (index - first));
    }

    @Override
    public List<LogEntry> entries(long from, long toInclusive, long maxBytes) {
        if (from < first || toInclusive > lastIndex() || from > toInclusive) {
            throw new IllegalArgumentException("range " + from + ".." + toInclusive + " outside " + first + ".."
                    + lastIndex());
        }
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= toInclusive; i++) {
            LogEntry e = entries.get((int) (i - first));
            if (!out.isEmpty() && bytes + e.data().length > maxBytes) {
                break;
            }
            out.add(e);
            bytes += e.data().length;
        }
        return out;
    }

    public void append(List<LogEntry> es) {
        for (LogEntry e : es) {
            if (e.index() != lastIndex() + 1) {
                throw new IllegalStateException("non-contiguous append of " + e.index() + " after " + lastIndex());
            }
            entries.add(e);
        }
    }

    public void truncateSuffix(long afterIndex) {
        if (afterIndex >= lastIndex()) {
            return;
        }
        if (afterIndex < first - 1) {
            throw new IllegalArgumentException("truncate after " + afterIndex + " below first index " + first);
        }
        entries.subList((int) (afterIndex + 1 - first), entries.size()).clear();
    }

    /**
     * Drops the entries up to {@code upTo}; the log then starts at {@code upTo + 1}.
     *
     * @return how many entries were dropped
     */
    public int compactPrefix(long upTo) {
        if (upTo < first) {
            return 0;
        }
        int dropped = (int) (Math.min(upTo, lastIndex()) + 1 - first);
        entries.subList(0, dropped).clear();
        first = upTo + 1;
        return dropped;
    }
}
