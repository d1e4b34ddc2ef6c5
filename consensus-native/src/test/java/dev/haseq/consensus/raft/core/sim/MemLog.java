package dev.haseq.consensus.raft.core.sim;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.InMemoryLog;
import dev.haseq.consensus.raft.core.LogView;
import java.util.Arrays;
import java.util.List;

/**
 * An {@link InMemoryLog} that also remembers each entry's chain hash (a hash of the entry and every
 * entry before it), so the checker can compare whole prefixes in O(1). One instance is a node's
 * "visible" log (every write so far), another its durable log.
 */
final class MemLog implements LogView {
    private final InMemoryLog log;
    /** {@code chains[i]} is the chain hash of the entry at {@code firstIndex() + i}. */
    private long[] chains;
    /** Chain hash of the entry at {@code firstIndex() - 1} (0 for the empty prefix). */
    private long baseChain;

    MemLog() {
        this(new InMemoryLog(), new long[16], 0);
    }

    private MemLog(InMemoryLog log, long[] chains, long baseChain) {
        this.log = log;
        this.chains = chains;
        this.baseChain = baseChain;
    }

    MemLog copy() {
        return new MemLog(log.copy(), Arrays.copyOf(chains, Math.max(16, size())), baseChain);
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long term(long index) {
        return log.term(index);
    }

    @Override
    public List<LogEntry> entries(long from, long toInclusive, long maxBytes) {
        return log.entries(from, toInclusive, maxBytes);
    }

    boolean has(long index) {
        return log.has(index);
    }

    /** Chain hash at {@code index}, which is in the log or is {@code firstIndex() - 1}. */
    long chain(long index) {
        if (index == firstIndex() - 1) {
            return baseChain;
        }
        if (!has(index)) {
            throw new IllegalArgumentException("no chain at " + index + " in " + firstIndex() + ".." + lastIndex());
        }
        return chains[(int) (index - firstIndex())];
    }

    /** Appends {@code es}; {@code chainValues[i]} is the chain hash of {@code es.get(i)}. */
    void append(List<LogEntry> es, long[] chainValues) {
        int at = size();
        log.append(es);
        if (chains.length < size()) {
            chains = Arrays.copyOf(chains, Math.max(size(), chains.length * 2));
        }
        System.arraycopy(chainValues, 0, chains, at, es.size());
    }

    void truncateSuffix(long afterIndex) {
        log.truncateSuffix(afterIndex);
    }

    /** Drops entries up to {@code upTo}; {@code upToChain} is the chain hash of the entry there. */
    void compactPrefix(long upTo, long upToChain) {
        if (upTo < firstIndex()) {
            return;
        }
        int dropped = log.compactPrefix(upTo);
        System.arraycopy(chains, dropped, chains, 0, size());
        baseChain = upToChain;
    }

    private int size() {
        return (int) (lastIndex() - firstIndex() + 1);
    }
}
