package dev.haseq.storage.chronicle;

import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.chronicle.RecordQueue.Location;
import java.util.Optional;

/**
 * Rebuilds the log's state from its records in queue order: the scheme that gives an append-only
 * queue Raft's {@code truncateSuffix} and {@code compactPrefix}. Pure logic (no I/O), so the rules
 * are tested directly.
 *
 * <p>Rules, given {@code c} = the compacted-through index from {@link CompactionMarker}:
 * <ul>
 *   <li>An entry record with index {@code last + 1} extends the log.</li>
 *   <li>A truncate record {@code T(x)} sets {@code last = x}: entries above {@code x} written
 *       before it are dead; the next entry must be {@code x + 1}.</li>
 *   <li>An entry with index {@code i > last + 1} is legal only if {@code i <= c + 1}: it is the
 *       first append after a compaction beyond the end of the log.</li>
 *   <li>The first record read may be any entry or truncate record: files wholly below the
 *       compaction point were deleted, and the first kept file may begin with dead entries.
 *       At the end, the live run must start at or below {@code c + 1}, else files are missing.</li>
 *   <li>At the end {@code firstIndex = c + 1} and {@code lastIndex = max(last, c)}.</li>
 *   <li>An unreadable record starts a <em>cut</em>: it is fine if only unreadable records follow
 *       (a torn tail, which the caller then cuts by appending a {@code Cut} record naming it) or
 *       if such a {@code Cut} record follows (a tail cut on an earlier open). A readable record
 *       after an unreadable one that no {@code Cut} names is corruption in the middle of the log.</li>
 * </ul>
 * Anything else (an entry out of order, a decreasing term, a gap) is corruption and fails the
 * open with a {@link StorageException} naming the file and offset of the record.
 */
final class LogReplay {
    /** The first unreadable record of a run and how many bytes the run has. */
    record BadRun(Location first, String problem, long bytes) {
    }

    private final long compactedThrough;
    private final RaftIndexMap map;
    private boolean anchored;
    private long last;
    /** The lowest index of the current contiguous run, and where its first entry is. */
    private long base;
    private Location baseWhere;
    private BadRun bad;

    LogReplay(long compactedThrough, RaftIndexMap map) {
        this.compactedThrough = compactedThrough;
        this.map = map;
    }

    void entry(long index, long term, Location where) {
        checkNoBadRun(where);
        if (index < 1 || term < 0) {
            throw new StorageException("entry with index " + index + " and term " + term + " at " + where
                    + ": the log is corrupt");
        }
        if (!anchored) {
            anchored = true;
            startRun(index, where);
        } else if (index > last + 1 && index <= compactedThrough + 1) {
            startRun(index, where); // first append after compactPrefix beyond the end of the log
        } else if (index != last + 1) {
            throw new StorageException("entry " + index + " at " + where + " follows entry " + last
                    + ": the log is corrupt (entries out of order)");
        } else if (last >= base && term < map.term(last)) {
            throw new StorageException("entry " + index + " at " + where + " has term " + term
                    + ", below the term " + map.term(last) + " of entry " + last + ": the log is corrupt");
        }
        last = index;
        map.put(index, where.queueIndex(), term);
    }

    void truncate(long afterIndex, Location where) {
        checkNoBadRun(where);
        if (!anchored) {
            anchored = true;
            last = afterIndex;
            startRun(afterIndex + 1, where);
        } else if (afterIndex < last) {
            last = afterIndex;
            if (afterIndex + 1 < base) {
                startRun(afterIndex + 1, where);
            }
        }
    }

    void unreadable(String problem, Location where, int length) {
        bad = bad == null ? new BadRun(where, problem, length) : new BadRun(bad.first(), bad.problem(), bad.bytes() + length);
    }

    void cut(long fromQueueIndex) {
        // A cut whose unreadable records sat in a file deleted by compaction has nothing to match.
        if (bad != null && bad.first().queueIndex() == fromQueueIndex) {
            bad = null;
        }
    }

    /** The unreadable records at the end of the queue, if any: the torn tail to cut. */
    Optional<BadRun> tornTail() {
        return Optional.ofNullable(bad);
    }

    long firstIndex() {
        return compactedThrough + 1;
    }

    long lastIndex() {
        if (!anchored) {
            return compactedThrough;
        }
        if (last > compactedThrough && base > compactedThrough + 1) {
            throw new StorageException("the log's entries start at " + base + " (" + baseWhere + ") but the"
                    + " compaction marker covers only up to " + compactedThrough + ": files holding entries "
                    + (compactedThrough + 1) + ".." + (base - 1) + " are missing");
        }
        return Math.max(last, compactedThrough);
    }

    private void startRun(long index, Location where) {
        base = index;
        baseWhere = where;
    }

    private void checkNoBadRun(Location where) {
        if (bad != null) {
            throw new StorageException("corrupt record at " + bad.first() + " (" + bad.problem()
                    + ") is followed by a valid record at " + where
                    + ": this is corruption in the middle of the Raft log, not a torn tail, and is not repaired"
                    + " automatically. If the node lost power, the records after the corrupt one were never"
                    + " synced; otherwise the disk is damaged. To recover, stop the node, move its raft-log"
                    + " directory away and restart it: it rejoins as a follower and catches up from the"
                    + " leader's snapshot.");
        }
    }
}
