package dev.haseq.storage.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.chronicle.RecordQueue.Location;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The truncation/compaction scheme, record by record, without Chronicle. */
class LogReplayTest {
    private final RaftIndexMap map = new RaftIndexMap();
    private long queueIndex = 100;

    private Location at() {
        return new Location(Path.of("/log/c.cq4"), queueIndex * 10, queueIndex++);
    }

    private void entries(LogReplay r, long from, long to, long term) {
        for (long i = from; i <= to; i++) {
            r.entry(i, term, at());
        }
    }

    @Test
    void aTruncateRecordSupersedesLaterIndexesWrittenBeforeIt() {
        LogReplay r = new LogReplay(0, map);
        entries(r, 1, 10, 1);
        r.truncate(6, at());
        long qi7 = queueIndex;
        entries(r, 7, 8, 2);
        assertThat(r.firstIndex()).isEqualTo(1);
        assertThat(r.lastIndex()).isEqualTo(8);
        assertThat(map.term(7)).isEqualTo(2);
        assertThat(map.queueIndex(7)).isEqualTo(qi7);
        assertThat(map.term(6)).isEqualTo(1);
    }

    @Test
    void repeatedTruncationsResolveToTheLastWrittenEntryPerIndex() {
        LogReplay r = new LogReplay(0, map);
        entries(r, 1, 5, 1);
        r.truncate(3, at());
        entries(r, 4, 9, 2);
        r.truncate(2, at());
        entries(r, 3, 4, 3);
        r.truncate(3, at());
        long qi4 = queueIndex;
        entries(r, 4, 4, 4);
        assertThat(r.lastIndex()).isEqualTo(4);
        assertThat(map.term(3)).isEqualTo(3);
        assertThat(map.term(4)).isEqualTo(4);
        assertThat(map.queueIndex(4)).isEqualTo(qi4);
    }

    @Test
    void anEntryAfterAGapIsCorruptionUnlessACompactionCoversTheGap() {
        LogReplay r = new LogReplay(0, map);
        entries(r, 1, 3, 1);
        assertThatThrownBy(() -> r.entry(5, 1, at())).isInstanceOf(StorageException.class)
                .hasMessageContaining("entry 5").hasMessageContaining("follows entry 3").hasMessageContaining("/log/c.cq4");

        LogReplay compacted = new LogReplay(20, new RaftIndexMap());
        entries(compacted, 1, 3, 1);
        compacted.entry(21, 2, at()); // first append after compactPrefix(20) beyond the end
        assertThat(compacted.firstIndex()).isEqualTo(21);
        assertThat(compacted.lastIndex()).isEqualTo(21);
    }

    @Test
    void compactionBeyondTheLastEntryLeavesAnEmptyLogEndingAtTheCompactionPoint() {
        LogReplay r = new LogReplay(50, map);
        entries(r, 40, 45, 1);
        assertThat(r.firstIndex()).isEqualTo(51);
        assertThat(r.lastIndex()).isEqualTo(50);

        LogReplay nothing = new LogReplay(50, new RaftIndexMap());
        assertThat(nothing.lastIndex()).isEqualTo(50);
    }

    @Test
    void theFirstKeptFileMayStartWithDeadEntriesAboveTheCompactionPoint() {
        // file 1 (deleted): 1..60; file 2: 61..200, T(50), 51..60; compacted through 55
        LogReplay r = new LogReplay(55, map);
        entries(r, 61, 200, 1);
        r.truncate(50, at());
        entries(r, 51, 60, 2);
        assertThat(r.firstIndex()).isEqualTo(56);
        assertThat(r.lastIndex()).isEqualTo(60);
        assertThat(map.term(56)).isEqualTo(2);
    }

    @Test
    void missingFilesBetweenTheCompactionPointAndTheFirstLiveEntryFailTheOpen() {
        LogReplay r = new LogReplay(10, map);
        entries(r, 30, 40, 1);
        assertThatThrownBy(r::lastIndex).isInstanceOf(StorageException.class)
                .hasMessageContaining("entries 11..29 are missing");
        LogReplay none = new LogReplay(0, new RaftIndexMap());
        entries(none, 2, 3, 1);
        assertThatThrownBy(none::lastIndex).hasMessageContaining("entries 1..1 are missing");
    }

    @Test
    void aDecreasingTermIsCorruption() {
        LogReplay r = new LogReplay(0, map);
        entries(r, 1, 2, 5);
        assertThatThrownBy(() -> r.entry(3, 4, at())).isInstanceOf(StorageException.class).hasMessageContaining("term 4");
    }

    @Test
    void unreadableRecordsAtTheEndAreATornTail() {
        LogReplay r = new LogReplay(0, map);
        entries(r, 1, 3, 1);
        Location bad = at();
        r.unreadable("checksum mismatch", bad, 100);
        r.unreadable("checksum mismatch", at(), 50);
        assertThat(r.tornTail()).hasValueSatisfying(t -> {
            assertThat(t.first()).isEqualTo(bad);
            assertThat(t.bytes()).isEqualTo(150);
        });
        assertThat(r.lastIndex()).isEqualTo(3);
    }

    @Test
    void aCutRecordHealsTheUnreadableRunItNames() {
        LogReplay r = new LogReplay(0, map);
        entries(r, 1, 3, 1);
        Location bad = at();
        r.unreadable("checksum mismatch", bad, 100);
        r.cut(bad.queueIndex());
        entries(r, 4, 5, 1);
        assertThat(r.tornTail()).isEmpty();
        assertThat(r.lastIndex()).isEqualTo(5);
    }

    @Test
    void aValidRecordAfterAnUncutUnreadableOneIsCorruptionInTheMiddle() {
        LogReplay r = new LogReplay(0, map);
        entries(r, 1, 3, 1);
        r.unreadable("checksum mismatch", at(), 100);
        assertThatThrownBy(() -> r.entry(4, 1, at())).isInstanceOf(StorageException.class)
                .hasMessageContaining("corruption in the middle").hasMessageContaining("/log/c.cq4 at offset");
        LogReplay other = new LogReplay(0, new RaftIndexMap());
        other.unreadable("x", at(), 1);
        other.cut(12345); // names some other record
        assertThatThrownBy(() -> other.truncate(0, at())).hasMessageContaining("corruption in the middle");
    }
}
