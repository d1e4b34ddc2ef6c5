package dev.haseq.storage.chronicle;

import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory map from Raft index to (Chronicle index of the record, term), rebuilt on open. Terms
 * are kept here because Raft asks for them far more often than for entries.
 *
 * <p>Stored in fixed chunks of {@value #CHUNK} slots that are never moved, so a reader never sees
 * a half-copied array. One writer; readers must learn which indexes are valid through a volatile
 * read of the log bounds that the writer publishes <em>after</em> calling {@link #put}, which gives
 * them a happens-before edge to the slots.
 */
final class RaftIndexMap {
    private static final int SHIFT = 12;
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    /** Chunk number → {queueIndex0, term0, queueIndex1, term1, ...}. */
    private final ConcurrentHashMap<Long, long[]> chunks = new ConcurrentHashMap<>();

    void put(long raftIndex, long queueIndex, long term) {
        long[] c = chunks.computeIfAbsent(raftIndex >>> SHIFT, k -> new long[2 * CHUNK]);
        int slot = (int) (raftIndex & MASK) * 2;
        c[slot] = queueIndex;
        c[slot + 1] = term;
    }

    long queueIndex(long raftIndex) {
        return chunk(raftIndex)[(int) (raftIndex & MASK) * 2];
    }

    long term(long raftIndex) {
        return chunk(raftIndex)[(int) (raftIndex & MASK) * 2 + 1];
    }

    /** Frees whole chunks whose indexes are all below {@code raftIndex}. */
    void dropBelow(long raftIndex) {
        long firstKept = raftIndex >>> SHIFT;
        chunks.keySet().removeIf(k -> k < firstKept);
    }

    /** Frees whole chunks whose indexes are all above {@code raftIndex}. */
    void dropAbove(long raftIndex) {
        long lastKept = raftIndex >>> SHIFT;
        chunks.keySet().removeIf(k -> k > lastKept);
    }

    int chunkCount() {
        return chunks.size();
    }

    private long[] chunk(long raftIndex) {
        long[] c = chunks.get(raftIndex >>> SHIFT);
        if (c == null) {
            throw new IllegalStateException("no index slot for Raft index " + raftIndex);
        }
        return c;
    }
}
