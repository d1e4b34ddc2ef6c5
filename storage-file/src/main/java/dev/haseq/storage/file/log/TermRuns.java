package dev.haseq.storage.file.log;

import java.util.Arrays;

/**
 * The term of every index in the log, kept as runs (first index of a run, its term) because terms
 * change rarely: {@code term(i)} is answered from memory without reading the entry.
 * Not thread-safe; {@link FileLogStore} guards it with its lock.
 */
final class TermRuns {
    private long[] starts = new long[8];
    private long[] terms = new long[8];
    private int size;

    /** Records that {@code index} (the next index after the last recorded one) has {@code term}. */
    void add(long index, long term) {
        if (size > 0 && terms[size - 1] == term) {
            return;
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            terms = Arrays.copyOf(terms, size * 2);
        }
        starts[size] = index;
        terms[size] = term;
        size++;
    }

    /** The term of {@code index}; the caller has checked that the index is in the log. */
    long termOf(long index) {
        int i = Arrays.binarySearch(starts, 0, size, index);
        int run = i >= 0 ? i : -i - 2;
        if (run < 0) {
            throw new IllegalStateException("no term recorded for index " + index);
        }
        return terms[run];
    }

    /** Forgets every index above {@code afterIndex}. */
    void truncateAfter(long afterIndex) {
        while (size > 0 && starts[size - 1] > afterIndex) {
            size--;
        }
    }

    /** Forgets runs that end before {@code firstIndex} (the run covering it stays). */
    void dropBefore(long firstIndex) {
        int i = Arrays.binarySearch(starts, 0, size, firstIndex);
        int keepFrom = i >= 0 ? i : -i - 2;
        if (keepFrom > 0) {
            System.arraycopy(starts, keepFrom, starts, 0, size - keepFrom);
            System.arraycopy(terms, keepFrom, terms, 0, size - keepFrom);
            size -= keepFrom;
        }
    }

    void clear() {
        size = 0;
    }

    /** The term of the last recorded run, or -1 when empty. */
    long lastTerm() {
        return size == 0 ? -1 : terms[size - 1];
    }

    int runs() {
        return size;
    }
}
