package dev.haseq.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link SnapshotStore} contract, for every provider. A provider's test extends this class and
 * implements {@link #provider()} and {@link #damageSnapshot}.
 */
public abstract class SnapshotStoreConformance {

    protected abstract SnapshotStoreProvider provider();

    /**
     * Damages the committed snapshot {@code meta} in the (closed) store in {@code dir}:
     * {@link Damage#TRUNCATED} cuts it short, {@link Damage#BYTES_FLIPPED} changes bytes of its
     * payload. {@code openLatest()} must then skip it (reporting
     * {@code StorageEvents.corruptSnapshotSkipped}) in favour of an older, intact snapshot.
     */
    protected abstract void damageSnapshot(Path dir, SnapshotMeta meta, Damage damage) throws IOException;

    /** How many times the crash test kills a child JVM. */
    protected int crashIterations() {
        return 8;
    }

    @TempDir
    protected Path tmp;
    protected Path dir;
    protected RecordingEvents events;

    @BeforeEach
    void freshDirectory() throws IOException {
        dir = Files.createDirectories(tmp.resolve("snapshots"));
        events = new RecordingEvents();
    }

    protected SnapshotStore open(int snapCount) {
        return provider().open(StorageContexts.context(dir, snapCount, events));
    }

    protected SnapshotStore open() {
        return open(3);
    }

    /** Writes and commits a snapshot whose payload derives from its meta. */
    protected static SnapshotMeta commit(SnapshotStore store, long index, long term, int size) {
        SnapshotMeta meta = SnapshotMeta.of(index, term);
        try (SnapshotStore.Writer w = store.create(meta)) {
            SnapshotPayloads.writeChunked(w.stream(), SnapshotPayloads.payload(meta, size));
            return w.commit();
        }
    }

    private static void assertIntact(SnapshotStore.Reader r, long index, long term, int size) {
        assertThat(r.meta()).isEqualTo(new SnapshotMeta(index, term, size));
        assertThat(SnapshotPayloads.readAll(r.stream())).isEqualTo(SnapshotPayloads.payload(SnapshotMeta.of(index, term), size));
    }

    @Test
    void providerIsFoundByServiceLoaderUnderItsName() {
        assertThat(Providers.all(SnapshotStoreProvider.class)).extracting(SnapshotStoreProvider::name)
                .contains(provider().name());
    }

    @Test
    void newStoreHasNoSnapshot() {
        try (SnapshotStore s = open()) {
            assertThat(s.openLatest()).isEmpty();
            assertThat(s.list()).isEmpty();
        }
    }

    @Test
    void committedSnapshotIsReadBackWithItsMetaAndSize() {
        try (SnapshotStore s = open()) {
            SnapshotMeta done = commit(s, 500, 3, 300_000);
            assertThat(done).isEqualTo(new SnapshotMeta(500, 3, 300_000));
            try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                assertIntact(r, 500, 3, 300_000);
            }
            assertThat(s.list()).containsExactly(done);
        }
    }

    @Test
    void emptySnapshotIsValid() {
        try (SnapshotStore s = open()) {
            commit(s, 1, 1, 0);
            try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                assertIntact(r, 1, 1, 0);
            }
        }
    }

    @Test
    void uncommittedSnapshotIsInvisibleAndClosingTheWriterDiscardsIt() {
        try (SnapshotStore s = open()) {
            commit(s, 10, 1, 100);
            try (SnapshotStore.Writer w = s.create(SnapshotMeta.of(20, 1))) {
                SnapshotPayloads.writeChunked(w.stream(), new byte[5000]);
                assertThat(s.list()).extracting(SnapshotMeta::index).containsExactly(10L);
                try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                    assertThat(r.meta().index()).isEqualTo(10);
                }
            }
            assertThat(s.list()).extracting(SnapshotMeta::index).containsExactly(10L);
        }
        try (SnapshotStore s = open()) {
            assertThat(s.list()).extracting(SnapshotMeta::index).containsExactly(10L);
        }
    }

    @Test
    void writerAbandonedWithoutCloseLeavesNothingVisibleToANewStore() {
        SnapshotStore first = open();
        SnapshotStore.Writer abandoned = first.create(SnapshotMeta.of(30, 2));
        SnapshotPayloads.writeChunked(abandoned.stream(), new byte[10_000]);
        try (SnapshotStore second = open()) {
            assertThat(second.list()).isEmpty();
            assertThat(second.openLatest()).isEmpty();
            commit(second, 40, 2, 10);
            assertThat(second.list()).extracting(SnapshotMeta::index).containsExactly(40L);
        } finally {
            abandoned.close();
            first.close();
        }
    }

    @Test
    void listIsNewestFirstAndSurvivesReopen() {
        try (SnapshotStore s = open(3)) {
            commit(s, 5, 1, 10);
            commit(s, 10, 1, 20);
            commit(s, 20, 2, 30);
            assertThat(s.list()).containsExactly(new SnapshotMeta(20, 2, 30), new SnapshotMeta(10, 1, 20),
                    new SnapshotMeta(5, 1, 10));
        }
        try (SnapshotStore s = open(3)) {
            assertThat(s.list()).extracting(SnapshotMeta::index).containsExactly(20L, 10L, 5L);
            try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                assertIntact(r, 20, 2, 30);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void retentionKeepsExactlySnapCountNewestSnapshots(int snapCount) {
        try (SnapshotStore s = open(snapCount)) {
            for (int i = 1; i <= 6; i++) {
                commit(s, i * 100L, 1 + i / 3, 1000 + i);
                assertThat(s.list()).hasSize(Math.min(i, snapCount));
                assertThat(s.list().getFirst().index()).isEqualTo(i * 100L);
            }
            assertThat(s.list()).extracting(SnapshotMeta::index)
                    .containsExactlyElementsOf(List.of(600L, 500L, 400L).subList(0, snapCount));
        }
        try (SnapshotStore s = open(snapCount)) {
            assertThat(s.list()).hasSize(snapCount);
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedNewestSnapshotIsSkippedInFavourOfThePreviousOne(Damage damage) throws IOException {
        SnapshotMeta newest;
        try (SnapshotStore s = open()) {
            commit(s, 100, 1, 40_000);
            commit(s, 200, 2, 50_000);
            newest = commit(s, 300, 2, 60_000);
        }
        damageSnapshot(dir, newest, damage);
        try (SnapshotStore s = open()) {
            try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                assertIntact(r, 200, 2, 50_000);
            }
            assertThat(events.skippedSnapshots()).isNotEmpty();
            assertThat(events.skippedSnapshots().getFirst().file().toString()).contains(newest.name());
        }
    }

    @Test
    void allSnapshotsDamagedIsAnErrorNotAnEmptyStore() throws IOException {
        // Returning "no snapshot" would make a node whose log was compacted look like a new one.
        SnapshotMeta a;
        SnapshotMeta b;
        try (SnapshotStore s = open()) {
            a = commit(s, 100, 1, 1000);
            b = commit(s, 200, 1, 1000);
        }
        damageSnapshot(dir, a, Damage.BYTES_FLIPPED);
        damageSnapshot(dir, b, Damage.TRUNCATED);
        try (SnapshotStore s = open()) {
            assertThatThrownBy(s::openLatest).isInstanceOf(StorageException.class);
            assertThat(events.skippedSnapshots()).hasSize(2);
        }
    }

    @Test
    void openReaderKeepsWorkingWhileNewerSnapshotsAreCommittedAndItsFileIsDeleted() throws IOException {
        int size = 2 << 20;
        byte[] expected = SnapshotPayloads.payload(SnapshotMeta.of(100, 1), size);
        try (SnapshotStore s = open(2)) {
            commit(s, 100, 1, size);
            try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                InputStream in = r.stream();
                byte[] firstHalf = in.readNBytes(size / 2);
                for (int i = 2; i <= 4; i++) {
                    commit(s, i * 100L, 1, 1000);
                }
                assertThat(s.list()).extracting(SnapshotMeta::index).containsExactly(400L, 300L);
                byte[] secondHalf = in.readAllBytes();
                byte[] all = new byte[firstHalf.length + secondHalf.length];
                System.arraycopy(firstHalf, 0, all, 0, firstHalf.length);
                System.arraycopy(secondHalf, 0, all, firstHalf.length, secondHalf.length);
                assertThat(all).isEqualTo(expected);
            }
        }
    }

    @Test
    void readersOnOtherThreadsAlwaysGetAnIntactLatestSnapshotWhileCommitsContinue() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (SnapshotStore s = open(2)) {
            commit(s, 1, 1, 5000);
            Thread reader = Thread.ofPlatform().start(() -> {
                for (int k = 0; k < 100_000 && !done.get(); k++) {
                    try {
                        Optional<SnapshotStore.Reader> latest = s.openLatest();
                        try (SnapshotStore.Reader r = latest.orElseThrow()) {
                            SnapshotMeta m = r.meta();
                            byte[] got = SnapshotPayloads.readAll(r.stream());
                            if (got.length != m.size() || !java.util.Arrays.equals(got,
                                    SnapshotPayloads.payload(SnapshotMeta.of(m.index(), m.term()), (int) m.size()))) {
                                throw new AssertionError("snapshot " + m + " read back wrong");
                            }
                        }
                        reads.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                        return;
                    }
                }
            });
            try {
                SplittableRandom rnd = new SplittableRandom(3);
                for (int i = 2; i <= 40 && failures.isEmpty(); i++) {
                    commit(s, i, 1, rnd.nextInt(100_000));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (reads.get() == 0 && failures.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            } finally {
                done.set(true);
                reader.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(failures).isEmpty();
            assertThat(reads.get()).isPositive();
            assertThat(s.list()).extracting(SnapshotMeta::index).containsExactly(40L, 39L);
        }
        assertThat(events.skippedSnapshots()).isEmpty();
    }

    @Test
    void everyCommittedSnapshotSurvivesSigkill() throws Exception {
        long seed = CrashRun.seed();
        System.out.println("snapshot crash test seed " + seed + " (replay with -Dhaseq.crash.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        int snapCount = 2;
        for (int it = 1; it <= crashIterations(); it++) {
            List<String> lines = CrashRun.runAndKill(List.of(), List.of("snapshot", provider().name(), dir.toString(),
                    Long.toString(rnd.nextLong()), "90000", Integer.toString(snapCount)),
                    "P ", 1 + rnd.nextInt(10), rnd.nextInt(10), tmp);
            String[] last = lines.getLast().split(" ");
            long index = Long.parseLong(last[1]);
            String context = "seed " + seed + ", iteration " + it + ", last printed " + lines.getLast();
            try (SnapshotStore s = open(snapCount)) {
                try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                    SnapshotMeta m = r.meta();
                    assertThat(m.index()).as(context).isGreaterThanOrEqualTo(index);
                    byte[] expected = SnapshotPayloads.payload(SnapshotMeta.of(m.index(), m.term()));
                    assertThat(m.size()).as(context).isEqualTo(expected.length);
                    assertThat(SnapshotPayloads.readAll(r.stream())).as(context).isEqualTo(expected);
                }
                // A kill between publishing and deleting old ones may leave one extra; the next commit trims.
                assertThat(s.list()).as(context).hasSizeLessThanOrEqualTo(snapCount + 1);
                long next = s.list().getFirst().index() + 1;
                SnapshotMeta meta = SnapshotMeta.of(next, 1 + next / 1000);
                commit(s, next, meta.term(), SnapshotPayloads.payload(meta).length);
                assertThat(s.list()).as(context).hasSize(snapCount);
            }
            assertThat(events.skippedSnapshots()).as(context).isEmpty();
        }
    }
}
