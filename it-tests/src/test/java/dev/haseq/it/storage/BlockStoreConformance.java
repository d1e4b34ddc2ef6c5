package dev.haseq.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.Block;
import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.BlockStore;
import dev.haseq.api.storage.BlockStoreProvider;
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

/**
 * The {@link BlockStore} contract, for every provider. A provider's test extends this class and
 * implements {@link #provider()}. A height that does not follow the head is rejected with an
 * {@link IllegalArgumentException} (misuse, as in {@code LogStore}); a different block at a stored
 * height with an {@link IllegalStateException}, as the javadoc says.
 */
public abstract class BlockStoreConformance {

    protected abstract BlockStoreProvider provider();

    /** How many times the crash test kills a child JVM. */
    protected int crashIterations() {
        return 8;
    }

    /** JVM flags the crash child needs beyond this JVM's own (e.g. a small roll cycle property). */
    protected List<String> crashChildJvmFlags() {
        return List.of();
    }

    @TempDir
    protected Path tmp;
    protected Path dir;

    @BeforeEach
    void freshDirectory() throws IOException {
        dir = Files.createDirectories(tmp.resolve("blocks"));
    }

    protected BlockStore open() {
        return provider().open(StorageContexts.context(dir, new RecordingEvents()));
    }

    private static void putAll(BlockStore s, List<Block> blocks) {
        blocks.forEach(s::put);
    }

    @Test
    void providerIsFoundByServiceLoaderUnderItsName() {
        assertThat(Providers.all(BlockStoreProvider.class)).extracting(BlockStoreProvider::name)
                .contains(provider().name());
    }

    @Test
    void newStoreIsEmpty() {
        try (BlockStore s = open()) {
            assertThat(s.headHeight()).isEmpty();
            assertThat(s.firstHeight()).isEmpty();
            assertThat(s.get(1)).isEmpty();
            assertThat(s.range(1, 10, 10)).isEmpty();
        }
    }

    @Test
    void putBlocksAreReadBackByHeightAndRange() {
        try (BlockStore s = open()) {
            putAll(s, Blocks.chain(1, 200));
            assertThat(s.firstHeight()).hasValue(1);
            assertThat(s.headHeight()).hasValue(200);
            for (long h = 1; h <= 200; h++) {
                assertThat(s.get(h)).hasValue(Blocks.block(h));
            }
            assertThat(s.get(201)).isEmpty();
            assertThat(s.range(50, 80, 1000)).containsExactlyElementsOf(Blocks.chain(50, 80));
        }
    }

    @Test
    void rangeReturnsOnlyStoredBlocksInOrderAndAtMostMaxCount() {
        try (BlockStore s = open()) {
            putAll(s, Blocks.chain(1, 30));
            assertThat(s.range(10, 30, 5)).containsExactlyElementsOf(Blocks.chain(10, 14));
            assertThat(s.range(25, 100, 100)).containsExactlyElementsOf(Blocks.chain(25, 30));
            assertThat(s.range(31, 40, 10)).isEmpty();
            assertThat(s.range(30, 30, 1)).containsExactly(Blocks.block(30));
        }
    }

    @Test
    void storeMayStartAboveHeightOneForCatchUp() {
        try (BlockStore s = open()) {
            putAll(s, Blocks.chain(1000, 1010));
            assertThat(s.firstHeight()).hasValue(1000);
            assertThat(s.headHeight()).hasValue(1010);
            assertThat(s.get(999)).isEmpty();
            assertThat(s.range(990, 1002, 100)).containsExactlyElementsOf(Blocks.chain(1000, 1002));
        }
        try (BlockStore s = open()) {
            assertThat(s.firstHeight()).hasValue(1000);
            assertThat(s.get(1005)).hasValue(Blocks.block(1005));
        }
    }

    @Test
    void putThatDoesNotFollowTheHeadIsRejected() {
        try (BlockStore s = open()) {
            putAll(s, Blocks.chain(1, 5));
            assertThatThrownBy(() -> s.put(Blocks.block(7))).isInstanceOf(IllegalArgumentException.class);
            assertThat(s.headHeight()).hasValue(5);
            s.put(Blocks.block(6));
            assertThat(s.headHeight()).hasValue(6);
        }
    }

    @Test
    void puttingTheSameBlockAgainIsANoOp() {
        try (BlockStore s = open()) {
            putAll(s, Blocks.chain(1, 5));
            s.put(Blocks.block(3));
            s.put(Blocks.block(5));
            assertThat(s.headHeight()).hasValue(5);
            assertThat(s.range(1, 5, 10)).containsExactlyElementsOf(Blocks.chain(1, 5));
        }
    }

    @Test
    void aDifferentBlockAtAStoredHeightIsAnIllegalState() {
        try (BlockStore s = open()) {
            putAll(s, Blocks.chain(1, 5));
            assertThatThrownBy(() -> s.put(Blocks.block(4, 1))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.put(Blocks.block(5, 1))).isInstanceOf(IllegalStateException.class);
            assertThat(s.get(4)).hasValue(Blocks.block(4));
            assertThat(s.get(5)).hasValue(Blocks.block(5));
        }
    }

    @Test
    void everyPutSurvivesReopen() {
        try (BlockStore s = open()) {
            putAll(s, Blocks.chain(1, 300));
        }
        try (BlockStore s = open()) {
            assertThat(s.headHeight()).hasValue(300);
            assertThat(s.range(1, 300, 1000)).containsExactlyElementsOf(Blocks.chain(1, 300));
            s.put(Blocks.block(301));
        }
        try (BlockStore s = open()) {
            assertThat(s.headHeight()).hasValue(301);
        }
    }

    @Test
    void concurrentReadersSeeOnlyCompleteBlocksWhileTheWriterPuts() throws Exception {
        // Every put is durable (an fsync each), so keep the count modest.
        List<Block> chain = Blocks.chain(1, 400);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (BlockStore s = open()) {
            s.put(chain.getFirst());
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                long seed = r;
                readers.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    for (int k = 0; k < 1_000_000 && !done.get() && failures.isEmpty(); k++) {
                        try {
                            long head = s.headHeight().orElseThrow();
                            long from = 1 + rnd.nextLong(head);
                            List<Block> got = s.range(from, head, 1 + rnd.nextInt(50));
                            if (got.isEmpty()) {
                                throw new AssertionError("range(" + from + ", " + head + ") empty");
                            }
                            for (int j = 0; j < got.size(); j++) {
                                if (!got.get(j).equals(chain.get((int) (from + j - 1)))) {
                                    throw new AssertionError("wrong block at " + (from + j));
                                }
                            }
                            if (!s.get(head).orElseThrow().equals(chain.get((int) head - 1))) {
                                throw new AssertionError("wrong head block " + head);
                            }
                            reads.incrementAndGet();
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }
                }));
            }
            try {
                for (int i = 1; i < chain.size() && failures.isEmpty(); i++) {
                    s.put(chain.get(i));
                }
                LogStoreConformance.awaitFirstRead(reads, failures);
            } finally {
                done.set(true);
                for (Thread t : readers) {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                }
            }
            assertThat(failures).isEmpty();
            assertThat(reads.get()).isPositive();
            assertThat(s.headHeight()).hasValue(400);
        }
    }

    @Test
    void everyReturnedPutSurvivesSigkill() throws Exception {
        long seed = CrashRun.seed();
        System.out.println("block store crash test seed " + seed + " (replay with -Dhaseq.crash.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int it = 1; it <= crashIterations(); it++) {
            List<String> lines = CrashRun.runAndKill(crashChildJvmFlags(), List.of("block", provider().name(),
                    dir.toString(), Long.toString(rnd.nextLong()), "90000", "3"), "B ", 1 + rnd.nextInt(30),
                    rnd.nextInt(10), tmp);
            long printed = Long.parseLong(lines.getLast().split(" ")[1]);
            String context = "seed " + seed + ", iteration " + it + ", last printed " + lines.getLast();
            try (BlockStore s = open()) {
                long head = s.headHeight().orElseThrow();
                assertThat(head).as(context).isGreaterThanOrEqualTo(printed);
                assertThat(s.firstHeight()).as(context).hasValue(1);
                for (long from = 1; from <= head; from += 500) {
                    long to = Math.min(head, from + 499);
                    assertThat(s.range(from, to, 500)).as(context).containsExactlyElementsOf(Blocks.chain(from, to));
                }
            }
        }
    }
}
