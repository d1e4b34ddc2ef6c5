package dev.haseq.storage.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleLogStoreTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private ChronicleLogStore store;

    private ChronicleLogStore open() {
        store = ChronicleLogStore.open(dir, QueueOptions.forLog().withClock(clock), StorageEvents.NONE);
        return store;
    }

    private ChronicleLogStore reopen() {
        store.close();
        return open();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    static LogEntry e(long index, long term) {
        return new LogEntry(index, term, ("entry-" + index + "-t" + term).getBytes(StandardCharsets.UTF_8));
    }

    static List<LogEntry> range(long from, long to, long term) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> e(i, term)).toList();
    }

    @Test
    void aNewLogIsEmptyAndStartsAtOne() {
        open();
        assertThat(store.firstIndex()).isEqualTo(1);
        assertThat(store.lastIndex()).isZero();
    }

    @Test
    void appendedEntriesReadBackBeforeAndAfterReopen() {
        open().append(range(1, 50, 1));
        store.append(range(51, 60, 2));
        assertThat(store.entry(55)).isEqualTo(e(55, 2));
        assertThat(store.term(50)).isEqualTo(1);
        assertThat(store.read(1, 60, Long.MAX_VALUE)).containsExactlyElementsOf(concat(range(1, 50, 1), range(51, 60, 2)));
        store.sync();
        reopen();
        assertThat(store.lastIndex()).isEqualTo(60);
        assertThat(store.read(1, 60, Long.MAX_VALUE)).containsExactlyElementsOf(concat(range(1, 50, 1), range(51, 60, 2)));
        assertThat(store.term(51)).isEqualTo(2);
    }

    @Test
    void truncateSuffixDropsTheConflictingEntriesAndSurvivesReopen() {
        open().append(range(1, 10, 1));
        store.truncateSuffix(6);
        assertThat(store.lastIndex()).isEqualTo(6);
        assertThatThrownBy(() -> store.entry(7)).isInstanceOf(IllegalArgumentException.class);
        store.append(range(7, 12, 2));
        store.sync();
        reopen();
        assertThat(store.lastIndex()).isEqualTo(12);
        assertThat(store.read(1, 12, Long.MAX_VALUE)).containsExactlyElementsOf(concat(range(1, 6, 1), range(7, 12, 2)));
    }

    @Test
    void repeatedTruncationsAndReappendsReopenToTheLastWrittenLog() {
        open().append(range(1, 20, 1));
        store.truncateSuffix(15);
        store.append(range(16, 25, 2));
        store.truncateSuffix(10);
        store.append(range(11, 13, 3));
        store.truncateSuffix(12);
        store.truncateSuffix(11);
        store.append(range(12, 14, 4));
        List<LogEntry> expected = concat(range(1, 10, 1), range(11, 11, 3), range(12, 14, 4));
        assertThat(store.read(1, 14, Long.MAX_VALUE)).containsExactlyElementsOf(expected);
        store.sync();
        reopen();
        assertThat(store.lastIndex()).isEqualTo(14);
        assertThat(store.read(1, 14, Long.MAX_VALUE)).containsExactlyElementsOf(expected);
        for (LogEntry x : expected) {
            assertThat(store.entry(x.index())).isEqualTo(x);
            assertThat(store.term(x.index())).isEqualTo(x.term());
        }
    }

    @Test
    void truncatingEverythingThenAppendingStartsAgainAtTheFirstIndex() {
        open().append(range(1, 5, 1));
        store.truncateSuffix(0);
        assertThat(store.lastIndex()).isZero();
        store.append(range(1, 2, 2));
        store.sync();
        reopen();
        assertThat(store.read(1, 2, Long.MAX_VALUE)).containsExactlyElementsOf(range(1, 2, 2));
    }

    @Test
    void readStopsAtMaxBytesButReturnsAtLeastOneEntry() {
        open().append(range(1, 10, 1));
        int size = e(1, 1).data().length;
        assertThat(store.read(1, 10, 0)).containsExactly(e(1, 1));
        assertThat(store.read(1, 10, 3L * size)).hasSize(3);
        assertThat(store.read(1, 10, 3L * size - 1)).hasSize(2);
        assertThat(store.read(4, 3, 100)).isEmpty();
    }

    @Test
    void misuseIsAnIllegalArgumentNamingTheRange() {
        open().append(range(1, 3, 2));
        assertThatThrownBy(() -> store.append(List.of(e(5, 2)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 4");
        assertThatThrownBy(() -> store.append(List.of(e(4, 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("term 1");
        assertThatThrownBy(() -> store.entry(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 3]");
        assertThatThrownBy(() -> store.term(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read(2, 9, 100)).isInstanceOf(IllegalArgumentException.class);
        store.compactPrefix(2);
        assertThatThrownBy(() -> store.truncateSuffix(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compacted");
        assertThat(store.lastIndex()).isEqualTo(3);
    }

    @Test
    void compactPrefixMovesTheFirstIndexAcrossReopen() {
        open().append(range(1, 30, 1));
        store.compactPrefix(10);
        assertThat(store.firstIndex()).isEqualTo(11);
        assertThatThrownBy(() -> store.entry(10)).isInstanceOf(IllegalArgumentException.class);
        store.sync();
        reopen();
        assertThat(store.firstIndex()).isEqualTo(11);
        assertThat(store.lastIndex()).isEqualTo(30);
        assertThat(store.read(11, 30, Long.MAX_VALUE)).containsExactlyElementsOf(range(11, 30, 1));
        store.compactPrefix(5); // already compacted: no-op
        assertThat(store.firstIndex()).isEqualTo(11);
    }

    @Test
    void compactionBeyondTheLastEntryLeavesAnEmptyLogWhoseNextIndexSurvivesReopen() {
        open().append(range(1, 10, 1));
        store.compactPrefix(100);
        assertThat(store.firstIndex()).isEqualTo(101);
        assertThat(store.lastIndex()).isEqualTo(100);
        reopen();
        assertThat(store.firstIndex()).isEqualTo(101);
        assertThat(store.lastIndex()).isEqualTo(100);
        assertThatThrownBy(() -> store.append(List.of(e(11, 1)))).isInstanceOf(IllegalArgumentException.class);
        store.append(range(101, 103, 5));
        store.sync();
        reopen();
        assertThat(store.firstIndex()).isEqualTo(101);
        assertThat(store.read(101, 103, Long.MAX_VALUE)).containsExactlyElementsOf(range(101, 103, 5));
    }

    @Test
    void compactionDeletesWholeCycleFilesBelowTheFirstLiveEntryOnly() {
        open();
        for (int cycle = 0; cycle < 4; cycle++) { // 4 ten-minute files of 25 entries each
            store.append(range(cycle * 25L + 1, cycle * 25L + 25, 1));
            clock.advance(Duration.ofMinutes(10));
        }
        store.sync();
        assertThat(store.files()).hasSize(4);
        long before = store.sizeOnDisk();

        store.compactPrefix(60); // first live entry 61 is in the third file
        assertThat(store.files()).hasSize(2);
        assertThat(store.sizeOnDisk()).isLessThan(before);
        assertThat(store.sizeOnDisk()).as("bytes used, not the sparse files' logical size").isLessThan(1 << 20);
        assertThat(store.read(61, 100, Long.MAX_VALUE)).containsExactlyElementsOf(range(61, 100, 1));
        reopen();
        assertThat(store.firstIndex()).isEqualTo(61);
        assertThat(store.read(61, 100, Long.MAX_VALUE)).containsExactlyElementsOf(range(61, 100, 1));

        store.compactPrefix(100); // everything: only the newest file is kept
        assertThat(store.files()).hasSize(1);
        reopen();
        assertThat(store.firstIndex()).isEqualTo(101);
        assertThat(store.lastIndex()).isEqualTo(100);
    }

    @Test
    void truncationAcrossCycleFilesAndCompactionOfTheDeadRunReopenCorrectly() {
        open().append(range(1, 60, 1));
        clock.advance(Duration.ofMinutes(10));
        store.append(range(61, 200, 1));
        store.truncateSuffix(50); // the second file now begins with dead entries 61..200
        store.append(range(51, 60, 2));
        store.compactPrefix(55);
        assertThat(store.files()).hasSize(1); // first live entry (56, term 2) is in the second file
        reopen();
        assertThat(store.firstIndex()).isEqualTo(56);
        assertThat(store.lastIndex()).isEqualTo(60);
        assertThat(store.read(56, 60, Long.MAX_VALUE)).containsExactlyElementsOf(range(56, 60, 2));
    }

    @Test
    void raftIndexesAreStoredInEntriesAndSurviveCycleRollsThatRestartChronicleSequences() {
        open();
        List<LogEntry> all = new ArrayList<>();
        long next = 1;
        for (int cycle = 0; cycle < 5; cycle++) {
            List<LogEntry> batch = range(next, next + 6, cycle + 1);
            store.append(batch);
            all.addAll(batch);
            next += 7;
            clock.advance(Duration.ofMinutes(25)); // skips cycles too
        }
        store.sync();
        assertThat(store.files()).hasSize(5);
        reopen();
        assertThat(store.read(1, next - 1, Long.MAX_VALUE)).containsExactlyElementsOf(all);
        assertThat(store.entry(15)).isEqualTo(all.get(14));
    }

    @Test
    void aWallClockSteppingBackNeverWritesIntoAnEarlierCycleFile() {
        open().append(range(1, 5, 1));
        clock.advance(Duration.ofMinutes(30));
        store.append(range(6, 10, 1));
        store.sync();
        clock.advance(Duration.ofMinutes(-60)); // NTP step while the node was down
        reopen();
        store.append(range(11, 15, 1));
        store.sync();
        reopen();
        assertThat(store.read(1, 15, Long.MAX_VALUE)).containsExactlyElementsOf(range(1, 15, 1));
        assertThat(store.files()).hasSize(2);
    }

    @Test
    void entriesOfTensOfMegabytesRoundTrip() {
        byte[] big = new byte[40 << 20];
        new java.util.SplittableRandom(3).nextBytes(big);
        open().append(List.of(e(1, 1), new LogEntry(2, 1, big), e(3, 1)));
        store.sync();
        reopen();
        assertThat(store.entry(2).data()).isEqualTo(big);
        assertThat(store.entry(3)).isEqualTo(e(3, 1));
        assertThatThrownBy(() -> store.append(List.of(new LogEntry(4, 1, new byte[RecordQueue.MAX_RECORD_BYTES]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThat(store.lastIndex()).isEqualTo(3);
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        open();
        assertThatThrownBy(() -> ChronicleLogStore.open(dir, QueueOptions.forLog(), StorageEvents.NONE))
                .isInstanceOf(dev.haseq.api.storage.StorageException.class).hasMessageContaining("already open");
    }

    @SafeVarargs
    private static List<LogEntry> concat(List<LogEntry>... parts) {
        List<LogEntry> out = new ArrayList<>();
        for (List<LogEntry> p : parts) {
            out.addAll(p);
        }
        return out;
    }
}
