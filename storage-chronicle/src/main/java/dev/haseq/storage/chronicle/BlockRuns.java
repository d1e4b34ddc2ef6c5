package dev.haseq.storage.chronicle;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Where each stored block height lives in the queue, in O(number of runs) memory: a run is a
 * stretch of consecutive heights stored at consecutive Chronicle indexes (within one roll cycle,
 * with nothing else between them), so a height's index is computed, not stored. Normally there is
 * one run per cycle file. One writer; readers first read the store's volatile head (written after
 * {@link #add}), which orders them after the run update.
 */
final class BlockRuns {
    /** Heights {@code [startHeight, startHeight + count)} at indexes {@code [startIndex, startIndex + count)}. */
    record Run(long startHeight, long startIndex, long count) {
        long endHeight() {
            return startHeight + count - 1;
        }
    }

    private final ConcurrentSkipListMap<Long, Run> runs = new ConcurrentSkipListMap<>();

    /** Records that {@code height} is stored at {@code queueIndex}; heights must be added in increasing order. */
    void add(long height, long queueIndex) {
        addRun(height, queueIndex, 1);
    }

    /** Records {@code count} heights from {@code startHeight} at consecutive indexes from {@code startIndex}. */
    void addRun(long startHeight, long startIndex, long count) {
        Map.Entry<Long, Run> last = runs.lastEntry();
        if (last != null) {
            Run r = last.getValue();
            if (r.endHeight() + 1 == startHeight && r.startIndex() + r.count() == startIndex) {
                runs.put(r.startHeight(), new Run(r.startHeight(), r.startIndex(), r.count() + count));
                return;
            }
        }
        runs.put(startHeight, new Run(startHeight, startIndex, count));
    }

    /** The queue index of a height known to be stored. */
    long queueIndex(long height) {
        Map.Entry<Long, Run> e = runs.floorEntry(height);
        if (e == null || height > e.getValue().endHeight()) {
            throw new IllegalStateException("height " + height + " is not in any run");
        }
        Run r = e.getValue();
        return r.startIndex() + (height - r.startHeight());
    }

    int size() {
        return runs.size();
    }
}
