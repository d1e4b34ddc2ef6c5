package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecentEntriesLogTest {
    private static LogStore memLog() {
        Path dir = Path.of("/nonexistent/mem");
        return new MemDisk().logProvider().open(new StorageContext(dir,
                RaftSettings.parse(Map.of(), dir).orThrow(), StorageEvents.NONE));
    }

    private static LogEntry entry(long index, long term, SplittableRandom r) {
        byte[] data = new byte[r.nextInt(0, 3000)];
        r.nextBytes(data);
        return new LogEntry(index, term, data);
    }

    /** A read answered from the cache must equal the store's answer, entry for entry and byte for byte. */
    private static void assertSameRead(LogStore cached, LogStore plain, long from, long to, long maxBytes) {
        List<LogEntry> a = cached.read(from, to, maxBytes);
        List<LogEntry> b = plain.read(from, to, maxBytes);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).index()).isEqualTo(b.get(i).index());
            assertThat(a.get(i).term()).isEqualTo(b.get(i).term());
            assertThat(a.get(i).data()).isEqualTo(b.get(i).data());
        }
    }

    @Test
    void answersEveryReadLikeTheStoreThroughAppendsTruncationsAndCompactions() {
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            LogStore plain = memLog();
            LogStore cached = new RecentEntriesLog(memLog());
            long term = 1;
            for (int step = 0; step < 2000; step++) {
                int op = r.nextInt(100);
                long last = plain.lastIndex();
                long first = plain.firstIndex();
                if (op < 60) {
                    List<LogEntry> batch = new ArrayList<>();
                    int n = r.nextInt(1, 200);
                    for (int i = 1; i <= n; i++) {
                        batch.add(entry(last + i, term, r));
                    }
                    plain.append(batch);
                    cached.append(batch);
                } else if (op < 65 && last >= first) {
                    long after = r.nextLong(Math.max(first - 1, last - 300), last + 1);
                    plain.truncateSuffix(after);
                    cached.truncateSuffix(after);
                    term++;
                } else if (op < 70 && last > first) {
                    long upTo = r.nextLong(first, last + (r.nextInt(10) == 0 ? 50 : 1));
                    plain.compactPrefix(upTo);
                    cached.compactPrefix(upTo);
                } else if (last >= first) {
                    long from = r.nextLong(first, last + 1);
                    long to = r.nextLong(from, last + 1);
                    long maxBytes = r.nextInt(10) == 0 ? 1 : r.nextLong(1, 1 << 22);
                    assertSameRead(cached, plain, from, to, maxBytes);
                    long at = r.nextLong(first, last + 1);
                    assertThat(cached.term(at)).as("term of %d (seed %d)", at, seed).isEqualTo(plain.term(at));
                    assertThat(cached.entry(at).data()).isEqualTo(plain.entry(at).data());
                }
                assertThat(cached.firstIndex()).isEqualTo(plain.firstIndex());
                assertThat(cached.lastIndex()).isEqualTo(plain.lastIndex());
            }
        }
    }

    @Test
    void keepsOnlyTheNewestEntriesWithinItsBounds() {
        SplittableRandom r = new SplittableRandom(7);
        LogStore plain = memLog();
        LogStore cached = new RecentEntriesLog(memLog());
        for (long i = 1; i <= RecentEntriesLog.MAX_ENTRIES * 3L; i += 100) {
            List<LogEntry> batch = new ArrayList<>();
            for (long j = i; j < i + 100; j++) {
                batch.add(new LogEntry(j, 1, new byte[] {(byte) j}));
            }
            plain.append(batch);
            cached.append(batch);
        }
        // The oldest entries come from the store, the newest from memory: both read the same.
        assertSameRead(cached, plain, 1, 500, Long.MAX_VALUE);
        assertSameRead(cached, plain, plain.lastIndex() - 500, plain.lastIndex(), Long.MAX_VALUE);
        assertSameRead(cached, plain, plain.lastIndex() - RecentEntriesLog.MAX_ENTRIES - 10, plain.lastIndex(), 1 << 20);
    }
}
