package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.LogView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory log with {@code LogStore} semantics, that also remembers each entry's chain hash
 * (a hash of the entry and every entry before it), so the checker can compare whole prefixes in
 * O(1). One instance is a node's "visible" log (every write so far), another its durable log.
 */
final class MemLog implements LogView {
    private long first = 1;
    private final ArrayList<LogEntry> entries = new ArrayList<>();
    private long[] chains = new long[16];
    /** Chain hash of the entry at {@code first - 1} (0 for the empty prefix). */
    private long baseChain;
    private long baseTerm;

    MemLog copy() {
        MemLog c = new MemLog();
        c.first = first;
        c.entries.addAll(entries);
        c.chains = Arrays.copyOf(chains, Math.max(16, entries.size()));
        c.baseChain = baseChain;
        c.baseTerm = baseTerm;
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

    LogEntry entry(long index) {
        if (index < first || index > lastIndex()) {
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

    /** Chain hash at {@code index}, which is in the log or is {@code firstIndex() - 1}. */
    long chain(long index) {
        if (index == first - 1) {
            return baseChain;
        }
        if (index < first || index > lastIndex()) {
            throw new IllegalArgumentException("no chain at " + index + " in " + first + ".." + lastIndex());
        }
        return chains[(int) (index - first)];
    }

    boolean has(long index) {
        return index >= first && index <= lastIndex();
    }

    long lastChain() {
        return chain(lastIndex());
    }

    void append(List<LogEntry> es, long[] chainValues) {
        for (int i = 0; i < es.size(); i++) {
            LogEntry e = es.get(i);
            if (e.index() != lastIndex() + 1) {
                throw new IllegalStateException("non-contiguous append of " + e.index() + " after " + lastIndex());
            }
            if (entries.size() == chains.length) {
                chains = Arrays.copyOf(chains, chains.length * 2);
            }
            chains[entries.size()] = chainValues[i];
            entries.add(e);
        }
    }

    void truncateSuffix(long afterIndex) {
        if (afterIndex >= lastIndex()) {
            return;
        }
        if (afterIndex < first - 1) {
            throw new IllegalArgumentException("truncate after " + afterIndex + " below first index " + first);
        }
        entries.subList((int) (afterIndex + 1 - first), entries.size()).clear();
    }

    /** Drops entries up to {@code upTo}; {@code upToChain}/{@code upToTerm} describe the entry there. */
    void compactPrefix(long upTo, long upToTerm, long upToChain) {
        if (upTo < first) {
            return;
        }
        if (upTo >= lastIndex()) {
            entries.clear();
        } else {
            int n = (int) (upTo + 1 - first);
            entries.subList(0, n).clear();
            System.arraycopy(chains, n, chains, 0, entries.size());
        }
        first = upTo + 1;
        baseChain = upToChain;
        baseTerm = upToTerm;
    }

    /** Keeps only the first {@code n} of the entries appended after {@code lastIndex}: a torn write. */
    static List<LogEntry> prefix(List<LogEntry> es, int n) {
        return es.subList(0, n);
    }
}
