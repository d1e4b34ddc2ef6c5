package dev.haseq.it.storage;

import static dev.haseq.it.storage.LogEntries.entry;
import static dev.haseq.it.storage.LogEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link LogStore} contract, for every provider. A provider's test extends this class and
 * implements {@link #provider()} and the two damage hooks; see {@code docs/storage-conformance.md}.
 *
 * <p>Tests that must cross file boundaries (segments, queue cycles) open stores through
 * {@link #smallSegmentsProvider()}, which a provider overrides to roll as often as it can, and
 * the crash test passes {@link #smallSegmentsJvmFlags()} to its child JVM for the same purpose.
 */
public abstract class LogStoreConformance {

    /** The provider under test, as the node would get it from {@code ServiceLoader}. */
    protected abstract LogStoreProvider provider();

    /**
     * The same provider configured to start a new file (segment, cycle) as often as it can, e.g.
     * every few KiB, so reads, truncations and compactions hit file boundaries. The default is
     * {@link #provider()}, which tests less.
     */
    protected LogStoreProvider smallSegmentsProvider() {
        return provider();
    }

    /** JVM flags (e.g. {@code -D} properties) that make the crash child's provider use small segments. */
    protected List<String> smallSegmentsJvmFlags() {
        return List.of();
    }

    /**
     * Damages the last entry written to the (closed) log in {@code dir}, and only it, the way a
     * crash while writing it would: {@link Damage#TRUNCATED} cuts the file inside the entry,
     * {@link Damage#BYTES_FLIPPED} changes bytes inside it. The store must then cut the entry off
     * on open and report it through {@code StorageEvents.tornTailTruncated}.
     */
    protected abstract void damageLastEntry(Path dir, Damage damage) throws IOException;

    /**
     * Changes bytes of an entry that has intact entries after it (in the same file or a later one)
     * in the (closed) log in {@code dir}. The store must refuse to open with a
     * {@link StorageException}.
     *
     * @return a piece of text the error message must contain (e.g. the damaged file's name)
     */
    protected abstract String damageEntryInMiddle(Path dir) throws IOException;

    /** How many times the crash test kills a child JVM; at least 20 for the real suite. */
    protected int crashIterations() {
        return 20;
    }

    @TempDir
    protected Path tmp;
    protected Path dir;
    protected RecordingEvents events;

    @BeforeEach
    void freshDirectory() throws IOException {
        dir = Files.createDirectories(tmp.resolve("raft-log"));
        events = new RecordingEvents();
    }

    protected LogStore open() {
        return provider().open(StorageContexts.context(dir, events));
    }

    protected LogStore openSmall() {
        return smallSegmentsProvider().open(StorageContexts.context(dir, events));
    }

    private static void appendOneByOne(LogStore log, long from, long to, long term) {
        for (long i = from; i <= to; i++) {
            log.append(List.of(entry(i, term)));
        }
    }

    /** Term of index {@code i} in tests that need several terms. */
    private static long termOf(long i) {
        return 1 + i / 97;
    }

    private static List<LogEntry> multiTerm(long from, long to) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(entry(i, termOf(i)));
        }
        return out;
    }

    // ---- discovery ---------------------------------------------------------------------------

    @Test
    void providerIsFoundByServiceLoaderUnderItsName() {
        assertThat(Providers.all(LogStoreProvider.class)).extracting(LogStoreProvider::name)
                .contains(provider().name());
    }

    // ---- empty log, append, read ---------------------------------------------------------------

    @Test
    void newLogIsEmptyWithFirstIndexOne() {
        try (LogStore log = open()) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isZero();
        }
    }

    @Test
    void entriesAppendedOneByOneAreReadBackInOrder() {
        try (LogStore log = open()) {
            appendOneByOne(log, 1, 50, 3);
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(50);
            assertThat(log.read(1, 50, Long.MAX_VALUE)).containsExactlyElementsOf(range(1, 50, 3));
            for (long i = 1; i <= 50; i++) {
                assertThat(log.entry(i)).isEqualTo(entry(i, 3));
                assertThat(log.term(i)).isEqualTo(3);
            }
        }
    }

    @Test
    void batchAppendIsReadBackInOrderWithItsTerms() {
        try (LogStore log = open()) {
            log.append(multiTerm(1, 300));
            log.append(multiTerm(301, 301));
            log.append(multiTerm(302, 450));
            assertThat(log.lastIndex()).isEqualTo(450);
            assertThat(log.read(1, 450, Long.MAX_VALUE)).containsExactlyElementsOf(multiTerm(1, 450));
            assertThat(log.term(96)).isEqualTo(1);
            assertThat(log.term(97)).isEqualTo(2);
            assertThat(log.term(450)).isEqualTo(termOf(450));
        }
    }

    @Test
    void emptyDataAndLargeDataRoundTrip() {
        byte[] big = LogEntries.dataFor(2, 1, 1 << 20);
        try (LogStore log = open()) {
            log.append(List.of(new LogEntry(1, 1, new byte[0]), new LogEntry(2, 1, big), new LogEntry(3, 1, new byte[0])));
            assertThat(log.entry(1).data()).isEmpty();
            assertThat(log.entry(2).data()).isEqualTo(big);
            assertThat(log.entry(3).data()).isEmpty();
        }
    }

    @Test
    void readsAcrossSegmentBoundariesReturnExactlyTheRange() {
        SplittableRandom rnd = new SplittableRandom(42);
        List<LogEntry> all = multiTerm(1, 1200);
        try (LogStore log = openSmall()) {
            for (int i = 0; i < all.size(); ) {
                int n = Math.min(all.size() - i, 1 + rnd.nextInt(40));
                log.append(all.subList(i, i + n));
                i += n;
            }
            for (long i = 1; i <= 1200; i++) {
                assertThat(log.entry(i)).isEqualTo(all.get((int) i - 1));
            }
            for (int k = 0; k < 300; k++) {
                long from = 1 + rnd.nextInt(1200);
                long to = from + rnd.nextInt((int) (1201 - from));
                assertThat(log.read(from, to, Long.MAX_VALUE)).as("read(%d, %d)", from, to)
                        .containsExactlyElementsOf(all.subList((int) from - 1, (int) to));
            }
            assertThat(log.sizeOnDisk()).isGreaterThanOrEqualTo(all.stream().mapToLong(e -> e.data().length).sum());
        }
    }

    @Test
    void readStopsBeforeExceedingMaxBytesButReturnsAtLeastOneEntry() {
        try (LogStore log = openSmall()) {
            for (long i = 1; i <= 100; i++) {
                log.append(List.of(new LogEntry(i, 1, LogEntries.dataFor(i, 1, 100))));
            }
            assertThat(log.read(1, 100, 250)).extracting(LogEntry::index).containsExactly(1L, 2L);
            assertThat(log.read(1, 100, 200)).extracting(LogEntry::index).containsExactly(1L, 2L);
            assertThat(log.read(1, 100, 199)).extracting(LogEntry::index).containsExactly(1L);
            assertThat(log.read(7, 100, 0)).extracting(LogEntry::index).containsExactly(7L);
            assertThat(log.read(7, 100, 50)).extracting(LogEntry::index).containsExactly(7L);
            assertThat(log.read(3, 12, 5000)).extracting(LogEntry::index)
                    .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
            assertThat(log.read(40, 100, 3000)).hasSize(30).first().isEqualTo(log.entry(40));
        }
    }

    @Test
    void readsOutsideTheLogAreRejected() {
        try (LogStore log = open()) {
            assertThatThrownBy(() -> log.entry(1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.term(1)).isInstanceOf(IllegalArgumentException.class);
            log.append(range(1, 10, 1));
            log.compactPrefix(3);
            assertThatThrownBy(() -> log.entry(3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.entry(11)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.term(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.read(3, 5, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.read(8, 11, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.read(4, 10, Long.MAX_VALUE)).containsExactlyElementsOf(range(4, 10, 1));
        }
    }

    // ---- rejected appends ----------------------------------------------------------------------

    @Test
    void appendThatLeavesAGapOrOverlapsIsRejectedAndChangesNothing() {
        try (LogStore log = open()) {
            log.append(range(1, 5, 2));
            assertThatThrownBy(() -> log.append(List.of(entry(7, 2)))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(List.of(entry(5, 2)))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(List.of(entry(6, 2), entry(8, 2))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(List.of(entry(6, 2), entry(6, 2))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(log.lastIndex()).isEqualTo(5);
            log.append(List.of(entry(6, 2)));
            assertThat(log.read(1, 6, Long.MAX_VALUE)).containsExactlyElementsOf(range(1, 6, 2));
        }
    }

    @Test
    void firstAppendToANewLogMustHaveIndexOne() {
        try (LogStore log = open()) {
            assertThatThrownBy(() -> log.append(List.of(entry(2, 1)))).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.lastIndex()).isZero();
        }
    }

    @Test
    void appendWithDecreasingTermIsRejectedAndChangesNothing() {
        try (LogStore log = open()) {
            log.append(range(1, 3, 5));
            assertThatThrownBy(() -> log.append(List.of(entry(4, 4)))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(List.of(entry(4, 6), entry(5, 5))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(log.lastIndex()).isEqualTo(3);
            log.append(List.of(entry(4, 5), entry(5, 6)));
            assertThat(log.term(5)).isEqualTo(6);
        }
    }

    // ---- truncate and compact ------------------------------------------------------------------

    @Test
    void truncateSuffixRemovesTheTailAndAcceptsEntriesOfANewTerm() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 400, 1));
            log.truncateSuffix(250);
            assertThat(log.lastIndex()).isEqualTo(250);
            assertThatThrownBy(() -> log.entry(251)).isInstanceOf(IllegalArgumentException.class);
            log.append(range(251, 300, 2));
            assertThat(log.read(245, 300, Long.MAX_VALUE)).containsExactlyElementsOf(
                    concat(range(245, 250, 1), range(251, 300, 2)));
            log.truncateSuffix(300);
            assertThat(log.lastIndex()).isEqualTo(300);
        }
    }

    @Test
    void truncateSuffixToBeforeTheFirstIndexEmptiesTheLog() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 200, 1));
            log.compactPrefix(99);
            log.truncateSuffix(99);
            assertThat(log.firstIndex()).isEqualTo(100);
            assertThat(log.lastIndex()).isEqualTo(99);
            assertThatThrownBy(() -> log.truncateSuffix(98)).isInstanceOf(IllegalArgumentException.class);
            log.append(range(100, 120, 2));
            assertThat(log.read(100, 120, Long.MAX_VALUE)).containsExactlyElementsOf(range(100, 120, 2));
        }
    }

    @Test
    void truncateSuffixToZeroEmptiesANewLog() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 300, 1));
            log.truncateSuffix(0);
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isZero();
            log.append(range(1, 5, 2));
            assertThat(log.read(1, 5, Long.MAX_VALUE)).containsExactlyElementsOf(range(1, 5, 2));
        }
    }

    @Test
    void compactPrefixMovesTheFirstIndexAndKeepsTheRest() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 500, 1));
            long before = log.sizeOnDisk();
            log.compactPrefix(320);
            assertThat(log.firstIndex()).isEqualTo(321);
            assertThat(log.lastIndex()).isEqualTo(500);
            assertThat(log.read(321, 500, Long.MAX_VALUE)).containsExactlyElementsOf(range(321, 500, 1));
            assertThat(log.sizeOnDisk()).isLessThanOrEqualTo(before);
            log.compactPrefix(100);
            assertThat(log.firstIndex()).as("compacting below the first index changes nothing").isEqualTo(321);
            log.append(range(501, 510, 1));
            assertThat(log.lastIndex()).isEqualTo(510);
        }
    }

    @Test
    void compactPrefixBeyondTheLastIndexLeavesAnEmptyLogThatContinuesAfterIt() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 300, 1));
            log.compactPrefix(1000);
            assertThat(log.firstIndex()).isEqualTo(1001);
            assertThat(log.lastIndex()).isEqualTo(1000);
            assertThatThrownBy(() -> log.append(List.of(entry(301, 1)))).isInstanceOf(IllegalArgumentException.class);
            log.append(range(1001, 1010, 4));
            assertThat(log.read(1001, 1010, Long.MAX_VALUE)).containsExactlyElementsOf(range(1001, 1010, 4));
        }
    }

    @Test
    void compactPrefixOfExactlyTheLastIndexLeavesAnEmptyLog() {
        try (LogStore log = open()) {
            log.append(range(1, 10, 1));
            log.compactPrefix(10);
            assertThat(log.firstIndex()).isEqualTo(11);
            assertThat(log.lastIndex()).isEqualTo(10);
            log.append(List.of(entry(11, 2)));
            assertThat(log.entry(11)).isEqualTo(entry(11, 2));
        }
    }

    // ---- reopen --------------------------------------------------------------------------------

    @Test
    void reopenPreservesEverySyncedEntry() {
        List<LogEntry> all = multiTerm(1, 700);
        try (LogStore log = openSmall()) {
            log.append(all.subList(0, 350));
            log.append(all.subList(350, 700));
            log.sync();
        }
        try (LogStore log = openSmall()) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isEqualTo(700);
            assertThat(log.read(1, 700, Long.MAX_VALUE)).containsExactlyElementsOf(all);
            log.append(multiTerm(701, 710));
            log.sync();
        }
        try (LogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(710);
            assertThat(log.entry(710)).isEqualTo(entry(710, termOf(710)));
        }
        assertThat(events.tornTails()).as("a clean log reports no repairs").isEmpty();
    }

    @Test
    void truncateThenReopenKeepsTheTruncation() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 400, 1));
            log.sync();
            log.truncateSuffix(123);
            log.append(range(124, 130, 2));
            log.sync();
        }
        try (LogStore log = openSmall()) {
            assertThat(log.lastIndex()).isEqualTo(130);
            assertThat(log.read(1, 130, Long.MAX_VALUE)).containsExactlyElementsOf(
                    concat(range(1, 123, 1), range(124, 130, 2)));
            log.truncateSuffix(0);
            log.sync();
        }
        try (LogStore log = openSmall()) {
            assertThat(log.firstIndex()).isEqualTo(1);
            assertThat(log.lastIndex()).isZero();
        }
    }

    @Test
    void compactThenReopenKeepsTheFirstIndex() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 500, 1));
            log.compactPrefix(250);
            log.sync();
        }
        try (LogStore log = openSmall()) {
            assertThat(log.firstIndex()).isEqualTo(251);
            assertThat(log.lastIndex()).isEqualTo(500);
            assertThat(log.read(251, 500, Long.MAX_VALUE)).containsExactlyElementsOf(range(251, 500, 1));
            assertThatThrownBy(() -> log.entry(250)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void compactBeyondTheLastIndexSurvivesReopen() {
        try (LogStore log = openSmall()) {
            log.append(range(1, 300, 1));
            log.compactPrefix(5000);
            log.sync();
        }
        try (LogStore log = openSmall()) {
            assertThat(log.firstIndex()).isEqualTo(5001);
            assertThat(log.lastIndex()).isEqualTo(5000);
            log.append(range(5001, 5003, 7));
            log.sync();
        }
        try (LogStore log = openSmall()) {
            assertThat(log.firstIndex()).isEqualTo(5001);
            assertThat(log.read(5001, 5003, Long.MAX_VALUE)).containsExactlyElementsOf(range(5001, 5003, 7));
        }
    }

    // ---- damaged files -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedLastEntryIsCutOffOnOpenAndReported(Damage damage) throws IOException {
        try (LogStore log = openSmall()) {
            log.append(multiTerm(1, 300));
            log.sync();
        }
        damageLastEntry(dir, damage);
        try (LogStore log = openSmall()) {
            assertThat(log.lastIndex()).isEqualTo(299);
            assertThat(log.read(1, 299, Long.MAX_VALUE)).containsExactlyElementsOf(multiTerm(1, 299));
            assertThat(events.tornTails()).as("the repair is reported").hasSize(1);
            log.append(List.of(entry(300, 9)));
            log.sync();
        }
        try (LogStore log = openSmall()) {
            assertThat(log.lastIndex()).isEqualTo(300);
            assertThat(log.entry(300)).isEqualTo(entry(300, 9));
            assertThat(events.tornTails()).as("the repaired log opens cleanly").hasSize(1);
        }
    }

    @Test
    void damagedEntryInTheMiddleRefusesToOpenAndIsNotRepaired() throws IOException {
        try (LogStore log = openSmall()) {
            log.append(multiTerm(1, 300));
            log.sync();
        }
        String where = damageEntryInMiddle(dir);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(this::openSmall).as("open attempt %d", attempt + 1)
                    .isInstanceOf(StorageException.class).hasMessageContaining(where);
        }
        assertThat(events.tornTails()).as("middle corruption is not a torn tail").isEmpty();
    }

    // ---- threads -------------------------------------------------------------------------------

    @Test
    void concurrentReadersSeeOnlyCompleteEntriesWhileTheWriterAppendsAndCompacts() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        try (LogStore log = openSmall()) {
            log.append(multiTerm(1, 50));
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                long seed = r;
                readers.add(Thread.ofPlatform().name("log-reader-" + r).start(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    for (int k = 0; k < 2_000_000 && !done.get() && failures.isEmpty(); k++) {
                        long first = log.firstIndex();
                        long last = log.lastIndex();
                        if (last < first) {
                            continue;
                        }
                        long from = first + rnd.nextLong(last - first + 1);
                        long to = from + rnd.nextLong(last - from + 1);
                        try {
                            List<LogEntry> got = log.read(from, to, 1 + rnd.nextInt(20_000));
                            if (got.isEmpty()) {
                                throw new AssertionError("read(" + from + ", " + to + ") returned nothing");
                            }
                            for (int j = 0; j < got.size(); j++) {
                                LogEntry e = got.get(j);
                                if (e.index() != from + j || e.term() != termOf(e.index()) || !LogEntries.isIntact(e)) {
                                    throw new AssertionError("read(" + from + ", " + to + ") gave " + e + " at " + j);
                                }
                            }
                            if (log.term(to) != termOf(to)) {
                                throw new AssertionError("term(" + to + ") = " + log.term(to));
                            }
                            reads.incrementAndGet();
                        } catch (IllegalArgumentException e) {
                            if (log.firstIndex() <= from) {
                                failures.add(new AssertionError("read(" + from + ", " + to + ") rejected although "
                                        + "the log still starts at " + log.firstIndex(), e));
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }
                }));
            }
            SplittableRandom rnd = new SplittableRandom(7);
            try {
                long next = 51;
                while (next <= 6000 && failures.isEmpty()) {
                    long to = next + rnd.nextInt(20);
                    log.append(multiTerm(next, to));
                    next = to + 1;
                    if (rnd.nextInt(10) == 0) {
                        log.sync();
                    }
                    if (rnd.nextInt(40) == 0 && log.lastIndex() - log.firstIndex() > 600) {
                        log.compactPrefix(log.lastIndex() - 300);
                    }
                }
                awaitFirstRead(reads, failures);
            } finally {
                done.set(true);
                for (Thread t : readers) {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                }
            }
            assertThat(failures).isEmpty();
            assertThat(reads.get()).as("readers ran").isPositive();
            assertThat(log.lastIndex()).isGreaterThanOrEqualTo(6000);
            for (LogEntry e : log.read(log.firstIndex(), log.lastIndex(), Long.MAX_VALUE)) {
                assertThat(e.term()).isEqualTo(termOf(e.index()));
                assertThat(LogEntries.isIntact(e)).as("%s", e).isTrue();
            }
        }
    }

    // ---- crash safety --------------------------------------------------------------------------

    @Test
    void syncedEntriesSurviveSigkillAtRandomPoints() throws Exception {
        long seed = CrashRun.seed();
        System.out.println("log crash test seed " + seed + " (replay with -Dhaseq.crash.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        LogCrashModel model = new LogCrashModel();
        long started = System.nanoTime();
        long first = 0;
        long last = 0;
        for (int it = 1; it <= crashIterations(); it++) {
            String context = "seed " + seed + ", iteration " + it;
            List<String> lines = CrashRun.runAndKill(smallSegmentsJvmFlags(),
                    List.of("log", provider().name(), dir.toString(), Long.toString(rnd.nextLong()), "90000", "3"),
                    "S ", 1 + rnd.nextInt(40), rnd.nextInt(15), tmp);
            model.replay(lines);
            try (LogStore log = openSmall()) {
                model.verify(log, context);
                model.rebase(log);
                log.sync();
                first = log.firstIndex();
                last = log.lastIndex();
            }
        }
        System.out.printf("log crash test: %d SIGKILLs in %.1f s; the children did %s; %d torn tails repaired; "
                        + "log ended as [%d, %d]%n", crashIterations(), (System.nanoTime() - started) / 1e9,
                model.summary(), events.tornTails().size(), first, last);
    }

    /** Lets slow readers finish one pass before they are told to stop (bounded; the assertion follows). */
    static void awaitFirstRead(AtomicLong reads, Queue<Throwable> failures) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (reads.get() == 0 && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static List<LogEntry> concat(List<LogEntry> a, List<LogEntry> b) {
        List<LogEntry> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
