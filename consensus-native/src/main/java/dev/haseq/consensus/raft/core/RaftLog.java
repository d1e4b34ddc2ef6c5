package dev.haseq.consensus.raft.core;

import dev.haseq.api.storage.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's whole log: the part handed to the driver and acknowledged ({@link LogView}, "stable")
 * followed by entries not yet acknowledged as persisted ("unstable", like etcd's unstable log),
 * plus the latest snapshot's index and term and the commit/apply indexes.
 *
 * <p>Invariants: stable entries are those below {@link #offset}; reads of indexes at or above it
 * never touch the view, so the driver's not-yet-acknowledged writes (and the stale entries a
 * pending truncation will remove) are never seen. {@code committed <= lastIndex()} always.
 */
final class RaftLog {
    static final long UNKNOWN = -1;

    private final LogView stable;
    private long snapshotIndex;
    private long snapshotTerm;
    /** Stable entries at or below this are not read (compaction requested, or replaced by a snapshot). */
    private long floor;

    /** Index of the first unstable entry; everything below is stable (acknowledged by advance). */
    private long offset;
    private final ArrayList<LogEntry> unstable = new ArrayList<>();
    /** Position in {@link #unstable} of the entry at {@link #offset} (lazy removal from the front). */
    private int head;
    /** Highest index handed to the driver in a Ready and not yet acknowledged. */
    private long inProgress;
    /** Lowest "truncate after" to hand out with the next Ready, or NONE. */
    private long pendingTruncate = Ready.NONE;

    long committed;
    /** Highest index handed out for applying. */
    long applying;
    /** Highest index whose Ready was advanced (applied by the driver). */
    long applied;

    RaftLog(LogView stable, long snapshotIndex, long snapshotTerm) {
        this.stable = stable;
        this.snapshotIndex = snapshotIndex;
        this.snapshotTerm = snapshotTerm;
        long viewLast = stable.lastIndex();
        long viewFirst = stable.firstIndex();
        if (viewFirst > snapshotIndex + 1) {
            throw new IllegalStateException("the log starts at index " + viewFirst + " but the latest snapshot ends at "
                    + snapshotIndex + ": entries " + (snapshotIndex + 1) + ".." + (viewFirst - 1)
                    + " are missing; the log and snapshot stores do not belong together (restore both from one node)");
        }
        boolean consistent = viewLast >= snapshotIndex
                && (snapshotIndex == 0 || snapshotIndex < viewFirst || stable.term(snapshotIndex) == snapshotTerm);
        if (consistent) {
            offset = viewLast + 1;
            floor = 0;
        } else {
            // The log ends before the snapshot or disagrees with it at the snapshot index (a crash
            // between committing a received snapshot and resetting the log): drop the log.
            offset = snapshotIndex + 1;
            floor = snapshotIndex;
            pendingTruncate = snapshotIndex;
        }
        inProgress = offset - 1;
        committed = snapshotIndex;
        applying = snapshotIndex;
        applied = snapshotIndex;
    }

    /** True if construction found the log inconsistent with the snapshot and the log must be reset. */
    boolean needsResetAtStart() {
        return floor > 0;
    }

    long snapshotIndex() {
        return snapshotIndex;
    }

    long snapshotTerm() {
        return snapshotTerm;
    }

    long firstIndex() {
        return Math.max(stable.firstIndex(), floor + 1);
    }

    long lastIndex() {
        return offset - 1 + (unstable.size() - head);
    }

    long lastTerm() {
        long t = term(lastIndex());
        if (t < 0) {
            throw new IllegalStateException("term of the last index " + lastIndex() + " is unknown");
        }
        return t;
    }

    /** Index of the last entry known durable (acknowledged through advance). */
    long stableLastIndex() {
        return offset - 1;
    }

    /** Term of the entry at {@code i}, or {@link #UNKNOWN} when it is compacted away or beyond the end. */
    long term(long i) {
        if (i == snapshotIndex) {
            return snapshotTerm;
        }
        if (i == 0) {
            return 0;
        }
        if (i > lastIndex()) {
            return UNKNOWN;
        }
        if (i >= offset) {
            return unstable.get(head + (int) (i - offset)).term();
        }
        if (i < firstIndex()) {
            return UNKNOWN;
        }
        return stable.term(i);
    }

    boolean matchTerm(long i, long t) {
        long have = term(i);
        return have >= 0 && have == t;
    }

    /** Raft §5.4.1: a log whose last entry is (lastTerm, lastIndex) is at least as up to date as ours. */
    boolean isUpToDate(long lastIdx, long lastT) {
        long myTerm = lastTerm();
        return lastT > myTerm || (lastT == myTerm && lastIdx >= lastIndex());
    }

    /**
     * Entries {@code [from, to]} (which must be available), stopping once their data reach
     * {@code maxBytes} but returning at least one.
     */
    List<LogEntry> entries(long from, long to, long maxBytes) {
        if (from > to) {
            return List.of();
        }
        if (from < firstIndex() || to > lastIndex()) {
            throw new IllegalStateException("entries " + from + ".." + to + " requested, log holds " + firstIndex()
                    + ".." + lastIndex());
        }
        List<LogEntry> out = null;
        long bytes = 0;
        if (from < offset) {
            List<LogEntry> fromStable = stable.entries(from, Math.min(to, offset - 1), maxBytes);
            if (fromStable.isEmpty() || fromStable.get(0).index() != from) {
                throw new IllegalStateException("log view returned " + fromStable.size() + " entries for " + from + ".."
                        + Math.min(to, offset - 1));
            }
            long lastRead = fromStable.get(fromStable.size() - 1).index();
            if (lastRead < Math.min(to, offset - 1) || to < offset) {
                return fromStable;
            }
            for (LogEntry e : fromStable) {
                bytes += e.data().length;
            }
            if (bytes >= maxBytes) {
                return fromStable;
            }
            out = new ArrayList<>(fromStable);
            from = offset;
        }
        int start = head + (int) (from - offset);
        int end = head + (int) (to - offset);
        if (out == null) {
            // Fast path: everything unstable.
            int i = start;
            bytes += unstable.get(i).data().length;
            while (i < end && bytes + unstable.get(i + 1).data().length <= maxBytes) {
                i++;
                bytes += unstable.get(i).data().length;
            }
            return List.copyOf(unstable.subList(start, i + 1));
        }
        for (int i = start; i <= end; i++) {
            LogEntry e = unstable.get(i);
            if (bytes + e.data().length > maxBytes) {
                break;
            }
            out.add(e);
            bytes += e.data().length;
        }
        return List.copyOf(out);
    }

    /** Leader: append its own new entry at {@code lastIndex() + 1}. */
    void append(LogEntry e) {
        unstable.add(e);
    }

    /**
     * Follower: Raft's AppendEntries receiver rule 3-4: find the first entry that conflicts
     * (or is new), drop our entries from there and append the rest.
     *
     * @return the index of the first entry appended, or 0 when nothing was new
     */
    long appendFromLeader(List<LogEntry> entries) {
        for (int k = 0; k < entries.size(); k++) {
            LogEntry e = entries.get(k);
            if (!matchTerm(e.index(), e.term())) {
                if (e.index() <= committed) {
                    throw new IllegalStateException("entry " + e.index() + " (term " + e.term()
                            + ") conflicts with a committed entry (commit index " + committed + ", term "
                            + term(e.index()) + "): the cluster's safety is broken");
                }
                truncateAndAppend(entries.subList(k, entries.size()));
                return e.index();
            }
        }
        return 0;
    }

    private void truncateAndAppend(List<LogEntry> entries) {
        long first = entries.get(0).index();
        long last = lastIndex();
        if (first == last + 1) {
            unstable.addAll(entries);
            return;
        }
        if (first <= offset) {
            unstable.clear();
            head = 0;
            offset = first;
        } else {
            int keep = head + (int) (first - offset);
            unstable.subList(keep, unstable.size()).clear();
        }
        unstable.addAll(entries);
        if (first - 1 < inProgress) {
            // Entries the driver has been (or is being) told to write are replaced.
            pendingTruncate = pendingTruncate == Ready.NONE ? first - 1 : Math.min(pendingTruncate, first - 1);
            inProgress = first - 1;
        }
    }

    /**
     * The snapshot {@code (index, term)} replaces the whole log (it was received from the leader
     * and conflicts with or extends beyond our log).
     */
    void restore(long index, long term) {
        unstable.clear();
        head = 0;
        offset = index + 1;
        inProgress = index;
        pendingTruncate = pendingTruncate == Ready.NONE ? index : Math.min(pendingTruncate, index);
        floor = Math.max(floor, index);
        snapshotIndex = index;
        snapshotTerm = term;
        committed = index;
        applying = Math.max(applying, index);
    }

    /** A local snapshot was taken at {@code (index, term)}; entries up to {@code compactTo} may go. */
    void snapshotTaken(long index, long term) {
        snapshotIndex = index;
        snapshotTerm = term;
    }

    void compactTo(long index) {
        floor = Math.max(floor, index);
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit index " + index + " is beyond the last index " + lastIndex());
            }
            committed = index;
        }
    }

    boolean hasUnhandedEntries() {
        return lastIndex() > inProgress;
    }

    /** Hands the not-yet-handed unstable entries to a Ready. */
    List<LogEntry> takeEntriesToPersist() {
        long last = lastIndex();
        if (last <= inProgress) {
            return List.of();
        }
        int from = head + (int) (inProgress + 1 - offset);
        List<LogEntry> out = List.copyOf(unstable.subList(from, unstable.size()));
        inProgress = last;
        return out;
    }

    long takePendingTruncate() {
        long t = pendingTruncate;
        pendingTruncate = Ready.NONE;
        return t;
    }

    boolean hasPendingTruncate() {
        return pendingTruncate != Ready.NONE;
    }

    /** The driver acknowledged entries up to {@code (index, term)} as durable. */
    void stableTo(long index, long term) {
        if (index < offset || index > lastIndex() || term(index) != term) {
            return; // replaced meanwhile by a truncation; a later Ready carries the replacement
        }
        head += (int) (index + 1 - offset);
        offset = index + 1;
        if (head >= 4096 && head * 2 >= unstable.size()) {
            unstable.subList(0, head).clear();
            head = 0;
        }
    }

    boolean hasUnappliedCommitted() {
        return committed > applying;
    }

    List<LogEntry> takeCommittedToApply(long maxBytes) {
        if (committed <= applying) {
            return List.of();
        }
        List<LogEntry> out = entries(applying + 1, committed, maxBytes);
        applying = out.get(out.size() - 1).index();
        return out;
    }

    /**
     * Index to probe next after a rejection (etcd's findConflictByTerm): the last index at or
     * below {@code index} whose term is at most {@code term}, stopping at {@code stopAt} or where
     * terms become unknown.
     */
    long lastIndexWithTermAtMost(long index, long term, long stopAt) {
        long i = Math.min(index, lastIndex());
        while (i > stopAt) {
            long t = term(i);
            if (t < 0 || t <= term) {
                break;
            }
            i--;
        }
        return i;
    }
}
