package dev.haseq.api.storage;

import java.util.List;

/**
 * The Raft log: a contiguous run of entries {@code [firstIndex(), lastIndex()]}.
 *
 * <p><b>Indexes.</b> A new log is empty with {@code firstIndex() == 1} and {@code lastIndex() == 0}.
 * The log is empty exactly when {@code lastIndex() == firstIndex() - 1}. Entries carry their own
 * index; the store never renumbers them.
 *
 * <p><b>Durability.</b> {@link #append} makes entries visible to readers at once but not durable;
 * {@link #sync} returns only after every entry appended before it (and every truncation and
 * compaction before it) is on stable storage, surviving {@code kill -9} and power loss. A crash may
 * lose unsynced appends, but only as a suffix: what survives is always a prefix of what was
 * appended, never a gap or garbage.
 *
 * <p><b>Threads.</b> One writer (the consensus driver); {@code read}/{@code entry}/index methods
 * may be called concurrently with the writer. Implementations document anything stricter.
 *
 * <p><b>Errors.</b> Misuse (non-contiguous append, out-of-range read) is an
 * {@link IllegalArgumentException}; I/O failures and corruption are {@link StorageException}.
 * Corruption found on open is never skipped silently: a torn tail is cut and reported, corruption
 * in the middle is an error naming the file and offset.
 */
public interface LogStore extends AutoCloseable {

    long firstIndex();

    long lastIndex();

    /** The term of the entry at {@code index}, which must be in {@code [firstIndex, lastIndex]}. */
    long term(long index);

    /** The entry at {@code index}, which must be in {@code [firstIndex, lastIndex]}. */
    LogEntry entry(long index);

    /**
     * Entries {@code [from, toInclusive]} in order, stopping early (but returning at least one
     * entry) once their data add up to {@code maxBytes}: the data of the returned entries total at
     * most {@code maxBytes}, unless the first entry alone is larger.
     */
    List<LogEntry> read(long from, long toInclusive, long maxBytes);

    /**
     * Appends entries; the first must have index {@code lastIndex() + 1} and the rest must follow
     * without gaps. Terms must not decrease.
     */
    void append(List<LogEntry> entries);

    /** Removes every entry with index {@code > afterIndex}; {@code afterIndex >= firstIndex() - 1}. */
    void truncateSuffix(long afterIndex);

    /**
     * Removes every entry with index {@code <= upToIndex}. If {@code upToIndex >= lastIndex()} the
     * log becomes empty and the next append must have index {@code upToIndex + 1} (used when a
     * snapshot replaces the log). Space is released where the format allows (whole files).
     */
    void compactPrefix(long upToIndex);

    /** Blocks until everything done so far is durable. */
    void sync();

    /** Bytes used on disk (approximate; for metrics and sizing). */
    long sizeOnDisk();

    @Override
    void close();
}
