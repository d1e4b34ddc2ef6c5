package dev.haseq.storage.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.NodeId;
import dev.haseq.api.Tx;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.StorageException;
import dev.haseq.api.testing.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleBlockStoreTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final AtomicLong tornReports = new AtomicLong();
    private final StorageEvents events = new StorageEvents() {
        @Override
        public void tornTailTruncated(Path file, long offset, long bytesDropped) {
            tornReports.incrementAndGet();
        }
    };
    private ChronicleBlockStore store;

    private ChronicleBlockStore open() {
        store = ChronicleBlockStore.open(dir, QueueOptions.forBlocks().withClock(clock), events);
        return store;
    }

    private ChronicleBlockStore reopen() {
        store.close();
        return open();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    static Block block(long height, String salt) {
        List<Tx> txs = List.of(new Tx(("tx-" + height + salt).getBytes(StandardCharsets.UTF_8)));
        return new Block(new BlockHeader(height, 1_000_000L * height, Hash.ZERO, Block.dataHashOf(txs), Hash.ZERO,
                NodeId.of("node-1")), txs);
    }

    static List<Block> chain(long from, long to) {
        List<Block> out = new ArrayList<>();
        for (long h = from; h <= to; h++) {
            out.add(block(h, ""));
        }
        return out;
    }

    @Test
    void blocksReadBackByHeightAndRangeAcrossDailyFilesAndReopen() {
        open();
        for (int day = 0; day < 3; day++) {
            chain(day * 40L + 1, day * 40L + 40).forEach(store::put);
            clock.advance(Duration.ofDays(1));
        }
        assertThat(store.get(77)).hasValue(block(77, ""));
        assertThat(store.range(30, 50, 100)).containsExactlyElementsOf(chain(30, 50));
        reopen();
        assertThat(store.headHeight()).hasValue(120);
        assertThat(store.firstHeight()).hasValue(1);
        assertThat(store.range(1, 200, 500)).containsExactlyElementsOf(chain(1, 120));
        assertThat(store.range(100, 200, 5)).containsExactlyElementsOf(chain(100, 104));
        assertThat(store.runCount()).as("open indexes whole files, not blocks").isEqualTo(3);
        assertThat(store.get(121)).isEmpty();
    }

    @Test
    void theFirstPutMayStartAboveOneAndLaterPutsMustFollowTheHead() {
        open().put(block(500, ""));
        assertThat(store.firstHeight()).hasValue(500);
        assertThatThrownBy(() -> store.put(block(502, ""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head 500");
        assertThatThrownBy(() -> store.put(block(499, ""))).isInstanceOf(IllegalArgumentException.class);
        store.put(block(501, ""));
        assertThat(store.get(499)).isEmpty();
        reopen();
        assertThat(store.firstHeight()).hasValue(500);
        assertThat(store.headHeight()).hasValue(501);
    }

    @Test
    void theSameBlockAgainIsANoOpAndADifferentOneIsAnIllegalState() {
        open();
        chain(1, 5).forEach(store::put);
        store.put(block(3, ""));
        assertThat(store.headHeight()).hasValue(5);
        assertThatThrownBy(() -> store.put(block(3, "other"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("height 3");
        reopen();
        assertThat(store.range(1, 5, 10)).containsExactlyElementsOf(chain(1, 5));
    }

    @Test
    void aTornLastBlockIsCutOnOpenReportedAndTheNextPutTakesItsHeight() throws IOException {
        open();
        chain(1, 10).forEach(store::put);
        store.close();
        flipLastOccurrence(dir, "tx-10".getBytes(StandardCharsets.UTF_8));
        open();
        assertThat(store.headHeight()).hasValue(9);
        assertThat(tornReports.get()).isEqualTo(1);
        store.put(block(10, "again"));
        store.put(block(11, ""));
        reopen();
        assertThat(tornReports.get()).as("the cut tail opens cleanly").isEqualTo(1);
        assertThat(store.get(10)).hasValue(block(10, "again"));
        assertThat(store.range(1, 11, 20)).hasSize(11);
        assertThat(store.runCount()).as("the cut splits the file into two runs").isEqualTo(2);
    }

    @Test
    void aCorruptBlockInTheMiddleFailsTheReadThatMeetsItNamingTheFile() throws IOException {
        open();
        chain(1, 10).forEach(store::put);
        store.close();
        flipLastOccurrence(dir, "tx-5".getBytes(StandardCharsets.UTF_8));
        open(); // the first and last blocks of the file are intact: open does not scan the middle
        assertThatThrownBy(() -> store.get(5)).isInstanceOf(StorageException.class)
                .hasMessageContaining(".cq4").hasMessageContaining("checksum");
        assertThat(store.get(6)).hasValue(block(6, ""));
    }

    /** Inverts a byte inside the last occurrence of {@code needle} in the newest queue file. */
    static void flipLastOccurrence(Path dir, byte[] needle) throws IOException {
        Path file;
        try (var s = java.nio.file.Files.list(dir)) {
            file = s.filter(p -> p.toString().endsWith(".cq4")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer all = ByteBuffer.allocate((int) Math.min(ch.size(), 64 << 20));
            ch.read(all, 0);
            byte[] b = all.array();
            for (int i = b.length - needle.length; i >= 0; i--) {
                if (java.util.Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) ~b[i + 1]}), i + 1);
                    return;
                }
            }
        }
        throw new AssertionError("pattern not found in " + file);
    }
}
