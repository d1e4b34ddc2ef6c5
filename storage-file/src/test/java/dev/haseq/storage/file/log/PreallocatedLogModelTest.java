package dev.haseq.storage.file.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.storage.file.TestContexts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random runs of appends, syncs, preallocation passes, truncations, compactions and
 * reopens against a list model. At random points the log directory is copied as a process crash
 * leaves it, the newest segment's unsynced tail is damaged the ways a crash can leave it (cut,
 * zeroed, or garbage then zeros, landing on or inside a record), and the copy is opened: it must
 * hold exactly the model's entries up to the last record wholly before the damage, report a torn
 * tail exactly when a record was cut inside, and accept appends after that.
 */
class PreallocatedLogModelTest {
    private static final int STEPS = 150;
    private static final AtomicInteger CRASHES = new AtomicInteger();

    @TempDir
    Path tmp;
    private SegmentPreallocator prealloc;
    private final TestContexts.Recorder events = new TestContexts.Recorder();

    private enum Damage { CUT, ZEROED, GARBAGE_THEN_ZEROS }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void theLogMatchesTheModelThroughRandomOperationsReopensAndCrashes(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        int segment = 4096 << rnd.nextInt(3);
        long ahead = 1024L << rnd.nextInt(5);
        Path dir = tmp.resolve("log");
        List<LogEntry> model = new ArrayList<>();
        long first = 1;
        long term = 1;
        long synced = 0;
        int crashes = 0;
        FileLogStore log = open(dir, segment, ahead);
        try {
            for (int step = 0; step < STEPS; step++) {
                long last = first + model.size() - 1;
                int op = rnd.nextInt(100);
                if (op < 45) {
                    List<LogEntry> batch = new ArrayList<>();
                    int n = 1 + rnd.nextInt(12);
                    for (int i = 0; i < n; i++) {
                        int len = rnd.nextInt(50) == 0 ? segment + rnd.nextInt(1000) : rnd.nextInt(700);
                        byte[] data = new byte[len];
                        rnd.nextBytes(data);
                        batch.add(new LogEntry(last + 1 + i, term, data));
                    }
                    log.append(batch);
                    model.addAll(batch);
                } else if (op < 55) {
                    log.sync();
                    synced = last;
                } else if (op < 70) {
                    prealloc.runOnce();
                } else if (op < 77 && !model.isEmpty()) {
                    long after = first - 1 + rnd.nextInt(model.size() + 1);
                    log.truncateSuffix(after);
                    model.subList((int) (after - first + 1), model.size()).clear();
                    synced = Math.min(synced, after);
                    term++;
                } else if (op < 82) {
                    long upTo = first + rnd.nextInt(model.size() + 3);
                    log.compactPrefix(upTo);
                    if (upTo >= last) {
                        model.clear();
                    } else {
                        model.subList(0, (int) (upTo - first + 1)).clear();
                    }
                    first = upTo + 1;
                    synced = Math.max(synced, first - 1);
                } else if (op < 90) {
                    log.close();
                    log = open(dir, segment, ahead);
                    synced = last;
                } else {
                    crashes += crashCopyMatchesModel(dir, tmp.resolve("crash-" + step), segment, first, model,
                            synced, rnd) ? 1 : 0;
                }
                assertMatches(log, first, model);
            }
        } finally {
            log.close();
        }
        try (FileLogStore reopened = open(dir, segment, ahead)) {
            assertMatches(reopened, first, model);
        }
        assertThat(events.torn).as("the store itself never needed a repair").isEmpty();
        CRASHES.addAndGet(crashes);
    }

    @AfterAll
    static void crashCopiesWereDamagedAndChecked() {
        assertThat(CRASHES.get()).as("crash copies with an unsynced tail, over all seeds").isGreaterThan(20);
    }

    private FileLogStore open(Path dir, int segment, long ahead) {
        return FileLogStore.open(TestContexts.context(dir, events), segment,
                d -> prealloc = new SegmentPreallocator(d.toString(), ahead, segment, SegmentPreallocator.FILES, false));
    }

    private static void assertMatches(FileLogStore log, long first, List<LogEntry> model) {
        assertThat(log.firstIndex()).isEqualTo(first);
        assertThat(log.lastIndex()).isEqualTo(first + model.size() - 1);
        if (!model.isEmpty()) {
            assertThat(log.read(first, first + model.size() - 1, Long.MAX_VALUE)).containsExactlyElementsOf(model);
        }
    }

    /**
     * Copies the open log's files (what a process crash leaves), damages the newest segment after
     * its last synced record, opens the copy and checks it; returns whether there was a tail to damage.
     */
    private boolean crashCopyMatchesModel(Path dir, Path copy, int segment, long first, List<LogEntry> model,
            long synced, SplittableRandom rnd) throws IOException {
        Files.createDirectories(copy);
        List<Path> segs;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        try (Stream<Path> s = Files.list(copy)) {
            segs = s.filter(p -> p.toString().endsWith(Segment.SUFFIX)).sorted().toList();
        }
        if (segs.isEmpty()) {
            return false;
        }
        Path lastSeg = segs.getLast();
        long segFirst = Segment.parseName(lastSeg.getFileName().toString());
        long lastIndex = first + model.size() - 1;
        long firstUnsynced = Math.max(synced + 1, segFirst);
        if (firstUnsynced > lastIndex || segFirst < first) {
            return false; // nothing unsynced in the newest segment, or it starts before the model does
        }
        // Record boundaries of the newest segment, from the model.
        List<Long> starts = new ArrayList<>();
        long pos = 20;
        for (long i = segFirst; i <= lastIndex; i++) {
            starts.add(pos);
            pos += LogRecords.OVERHEAD + model.get((int) (i - first)).data().length;
        }
        long dataEnd = pos;
        long from = starts.get((int) (firstUnsynced - segFirst));
        long cut = from + rnd.nextLong(dataEnd - from);
        if (rnd.nextInt(4) == 0) {
            cut = starts.get((int) (firstUnsynced - segFirst) + rnd.nextInt((int) (lastIndex - firstUnsynced + 1)));
        }
        Damage damage = Damage.values()[rnd.nextInt(Damage.values().length)];
        try (FileChannel ch = FileChannel.open(lastSeg, StandardOpenOption.WRITE)) {
            switch (damage) {
                case CUT -> ch.truncate(cut);
                case ZEROED -> write(ch, cut, new byte[(int) (dataEnd - cut)]);
                case GARBAGE_THEN_ZEROS -> {
                    byte[] b = new byte[(int) (dataEnd - cut)];
                    int garbage = 1 + rnd.nextInt(b.length);
                    for (int i = 0; i < garbage; i++) {
                        b[i] = (byte) (1 + rnd.nextInt(255));
                    }
                    write(ch, cut, b);
                }
            }
        }
        long whole = 0;
        long tornAt = -1;
        for (int k = 0; k < starts.size(); k++) {
            long end = k + 1 < starts.size() ? starts.get(k + 1) : dataEnd;
            if (end <= cut) {
                whole++;
            } else {
                tornAt = damage == Damage.GARBAGE_THEN_ZEROS || starts.get(k) < cut ? starts.get(k) : -1;
                break;
            }
        }
        long expectedLast = segFirst - 1 + whole;
        long nonZeroEnd = nonZeroEnd(lastSeg);
        TestContexts.Recorder copyEvents = new TestContexts.Recorder();
        try (FileLogStore reopened = FileLogStore.open(TestContexts.context(copy, copyEvents), segment, 0)) {
            assertThat(reopened.lastIndex()).as("%s at %d", damage, cut).isEqualTo(expectedLast);
            assertMatches(reopened, first, model.subList(0, (int) (expectedLast - first + 1)));
            assertThat(copyEvents.torn).as("%s at %d", damage, cut).containsExactlyElementsOf(tornAt < 0 ? List.of()
                    : List.of(lastSeg.getFileName() + " " + tornAt + " " + (nonZeroEnd - tornAt)));
            reopened.append(List.of(new LogEntry(expectedLast + 1, Long.MAX_VALUE, new byte[] {9})));
            reopened.sync();
        }
        try (FileLogStore again = FileLogStore.open(TestContexts.context(copy, copyEvents), segment, 0)) {
            assertThat(again.lastIndex()).isEqualTo(expectedLast + 1);
            assertThat(again.entry(expectedLast + 1).data()).containsExactly(9);
        }
        return true;
    }

    /** The offset just after the last non-zero byte of {@code file}. */
    private static long nonZeroEnd(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int i = b.length;
        while (i > 0 && b[i - 1] == 0) {
            i--;
        }
        return i;
    }

    private static void write(FileChannel ch, long at, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
    }
}
