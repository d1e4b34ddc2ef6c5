package dev.haseq.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.StableStore;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.StorageException;
import dev.haseq.api.storage.TermAndVote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link StableStore} contract, for every provider. A provider's test extends this class and
 * implements {@link #provider()} and {@link #damageStableState}.
 */
public abstract class StableStoreConformance {

    protected abstract StableStoreProvider provider();

    /**
     * Damages the saved state in the (closed) store in {@code dir}: {@link Damage#TRUNCATED}
     * cuts it short, {@link Damage#BYTES_FLIPPED} changes bytes of it. Opening must then fail
     * with a {@link StorageException}: a silent reset to term 0 could let the node vote twice.
     */
    protected abstract void damageStableState(Path dir, Damage damage) throws IOException;

    /** How many times the crash test kills a child JVM. */
    protected int crashIterations() {
        return 8;
    }

    @TempDir
    protected Path tmp;
    protected Path dir;

    @BeforeEach
    void freshDirectory() throws IOException {
        dir = Files.createDirectories(tmp.resolve("raft"));
    }

    protected StableStore open() {
        return provider().open(StorageContexts.context(dir, StorageEvents.NONE));
    }

    private static TermAndVote tv(long term, String vote) {
        return new TermAndVote(term, Optional.ofNullable(vote).map(NodeId::of));
    }

    @Test
    void providerIsFoundByServiceLoaderUnderItsName() {
        assertThat(Providers.all(StableStoreProvider.class)).extracting(StableStoreProvider::name)
                .contains(provider().name());
    }

    @Test
    void newStoreLoadsTheInitialValue() {
        try (StableStore s = open()) {
            assertThat(s.load()).isEqualTo(TermAndVote.INITIAL);
        }
    }

    @Test
    void loadReturnsTheLastSavedValue() {
        try (StableStore s = open()) {
            s.save(tv(1, null));
            s.save(tv(1, "node-2"));
            assertThat(s.load()).isEqualTo(tv(1, "node-2"));
            s.save(tv(7, null));
            assertThat(s.load()).isEqualTo(tv(7, null));
        }
    }

    @Test
    void everySaveSurvivesReopen() {
        try (StableStore s = open()) {
            s.save(tv(3, "node-1"));
        }
        try (StableStore s = open()) {
            assertThat(s.load()).isEqualTo(tv(3, "node-1"));
            s.save(tv(4, null));
        }
        try (StableStore s = open()) {
            assertThat(s.load()).isEqualTo(tv(4, null));
            s.save(tv(Long.MAX_VALUE, "n".repeat(NodeId.MAX_LENGTH)));
        }
        try (StableStore s = open()) {
            assertThat(s.load()).isEqualTo(tv(Long.MAX_VALUE, "n".repeat(NodeId.MAX_LENGTH)));
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedStateRefusesToOpenInsteadOfResettingToTermZero(Damage damage) throws IOException {
        try (StableStore s = open()) {
            s.save(tv(12, "node-3"));
        }
        damageStableState(dir, damage);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(this::open).as("open attempt %d", attempt + 1).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void concurrentSavesAndLoadsNeverSeeATornValue() throws Exception {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (StableStore s = open()) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int k = 1; k <= 40; k++) {
                            // The vote names the term it was saved with, so a mixed-up pair shows.
                            s.save(tv(k * 10L + id, "node-" + (k * 10L + id)));
                            TermAndVote seen = s.load();
                            if (!seen.votedFor().orElseThrow().value().equals("node-" + seen.term())) {
                                throw new AssertionError("torn value " + seen);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(failures).isEmpty();
            TermAndVote last = s.load();
            assertThat(last.term()).isBetween(400L, 402L);
            assertThat(last.votedFor()).contains(NodeId.of("node-" + last.term()));
        }
    }

    @Test
    void everyReturnedSaveSurvivesSigkill() throws Exception {
        long seed = CrashRun.seed();
        System.out.println("stable store crash test seed " + seed + " (replay with -Dhaseq.crash.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int it = 1; it <= crashIterations(); it++) {
            List<String> lines = CrashRun.runAndKill(List.of(),
                    List.of("stable", provider().name(), dir.toString(), Long.toString(rnd.nextLong()), "90000", "3"),
                    "V ", 1 + rnd.nextInt(30), rnd.nextInt(10), tmp);
            String[] last = lines.getLast().split(" ");
            long term = Long.parseLong(last[1]);
            try (StableStore s = open()) {
                TermAndVote loaded = s.load();
                String context = "seed " + seed + ", iteration " + it + ", last printed " + lines.getLast();
                assertThat(loaded.term()).as(context).isBetween(term, term + 1);
                if (loaded.term() == term) {
                    assertThat(loaded.votedFor().map(NodeId::value).orElse("-")).as(context).isEqualTo(last[2]);
                }
            }
        }
    }
}
