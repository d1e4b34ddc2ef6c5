package dev.haseq.it.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the parent of a log {@link CrashChild} knows must have survived a kill: it replays the
 * child's lines (see {@link CrashChild} for the protocol) and then checks the reopened log.
 *
 * <p>Guarantees checked: every entry the child saw synced (and did not truncate afterwards) is
 * present with its term and data; the first index reflects every synced compaction and no
 * compaction that was never requested; every entry present decodes to exactly the data derived
 * from its index and term (no garbage, no gaps) and terms never decrease.
 */
final class LogCrashModel {
    /** Term of each index, as runs: first index of the run to its term. */
    private final TreeMap<Long, Long> runs = new TreeMap<>();
    private long baseFirst = 1;
    private long knownLast;
    private long syncedLast;
    private long compactRequested;
    private long compactSynced;
    private long term = 1;
    private long syncs;
    private long truncations;
    private long compactions;

    /** Applies the lines of one child run, in order. */
    void replay(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "O" -> {
                    assertThat(Long.parseLong(f[1])).as("first index the child opened with").isEqualTo(baseFirst);
                    assertThat(Long.parseLong(f[2])).as("last index the child opened with").isEqualTo(knownLast);
                    term = Long.parseLong(f[3]);
                }
                case "T" -> {
                    long after = Long.parseLong(f[1]);
                    extendTo(after);
                    runs.tailMap(after, false).clear();
                    knownLast = after;
                    syncedLast = Math.min(syncedLast, after);
                    term = Long.parseLong(f[2]);
                    truncations++;
                }
                case "C" -> {
                    long upTo = Long.parseLong(f[1]);
                    compactRequested = Math.max(compactRequested, upTo);
                    compactions++;
                    if (upTo > knownLast) {
                        // The log became empty and continues at upTo + 1; indexes up to upTo are gone.
                        knownLast = upTo;
                    }
                }
                case "S" -> {
                    long last = Long.parseLong(f[1]);
                    extendTo(last);
                    knownLast = last;
                    syncedLast = last;
                    compactSynced = compactRequested;
                    syncs++;
                }
                default -> throw new AssertionError("unexpected line from the crash child: '" + line + "'");
            }
        }
    }

    private void extendTo(long index) {
        if (index > knownLast) {
            Map.Entry<Long, Long> floor = runs.floorEntry(knownLast);
            if (floor == null || floor.getValue() != term) {
                runs.put(knownLast + 1, term);
            }
        }
    }

    /** Checks the reopened log against what must have survived. */
    void verify(LogStore log, String context) {
        long first = log.firstIndex();
        long last = log.lastIndex();
        assertThat(first).as("%s: first index vs synced compaction up to %d", context, compactSynced)
                .isGreaterThanOrEqualTo(Math.max(baseFirst, compactSynced + 1));
        assertThat(first).as("%s: first index vs requested compaction up to %d", context, compactRequested)
                .isLessThanOrEqualTo(Math.max(baseFirst, compactRequested + 1));
        assertThat(last).as("%s: last index vs last synced index", context).isGreaterThanOrEqualTo(syncedLast);
        assertThat(last).as("%s: last index", context).isGreaterThanOrEqualTo(first - 1);
        long previousTerm = -1;
        for (long i = first; i <= last; i++) {
            LogEntry e = log.entry(i);
            assertThat(e.index()).as("%s: index of entry %d", context, i).isEqualTo(i);
            assertThat(LogEntries.isIntact(e)).as("%s: data of %s derives from its index and term", context, e).isTrue();
            assertThat(e.term()).as("%s: term of entry %d does not decrease", context, i).isGreaterThanOrEqualTo(previousTerm);
            assertThat(log.term(i)).as("%s: term(%d)", context, i).isEqualTo(e.term());
            if (i <= syncedLast) {
                assertThat(e.term()).as("%s: term of synced entry %d", context, i).isEqualTo(runs.floorEntry(i).getValue());
            }
            previousTerm = e.term();
        }
        if (last >= first) {
            List<LogEntry> all = log.read(first, last, Long.MAX_VALUE);
            assertThat(all).as("%s: read of the whole log", context).hasSize((int) (last - first + 1));
            for (LogEntry e : all) {
                assertThat(LogEntries.isIntact(e)).as("%s: read %s", context, e).isTrue();
            }
        }
    }

    /** What the child runs did in total, for the test log. */
    String summary() {
        return syncs + " syncs, " + truncations + " truncations, " + compactions + " compactions";
    }

    /** Makes the reopened (and verified, synced) log the baseline of the next run. */
    void rebase(LogStore log) {
        runs.clear();
        baseFirst = log.firstIndex();
        knownLast = log.lastIndex();
        syncedLast = knownLast;
        compactRequested = baseFirst - 1;
        compactSynced = baseFirst - 1;
        long previous = -1;
        for (long i = baseFirst; i <= knownLast; i++) {
            long t = log.term(i);
            if (t != previous) {
                runs.put(i, t);
                previous = t;
            }
        }
    }
}
