package dev.haseq.storage.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.testing.ManualClock;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreallocatorTest {
    private static final long AHEAD = 1L << 20;

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));

    private RecordQueue open(long ahead) {
        return new RecordQueue(dir, QueueOptions.forLog().withClock(clock).withPreallocateBytes(ahead));
    }

    private static QueueRecord.Entry entry(long i) {
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) (i % 251 + 1));
        return new QueueRecord.Entry(i, 1, data);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static List<Long> readAll(RecordQueue q) {
        List<Long> indexes = new ArrayList<>();
        q.scan(new RecordQueue.ScanVisitor() {
            @Override
            public void record(QueueRecord r, RecordQueue.Location where) {
                QueueRecord.Entry e = (QueueRecord.Entry) r;
                assertThat(e.data()).isEqualTo(entry(e.index()).data());
                indexes.add(e.index());
            }

            @Override
            public void unreadable(String problem, RecordQueue.Location where, int length) {
                throw new AssertionError("unreadable excerpt at " + where + ": " + problem);
            }
        });
        return indexes;
    }

    @Test
    void zeroFillsAheadOfTheLastExcerptWithoutTouchingRecords() throws Exception {
        try (RecordQueue q = open(AHEAD)) {
            for (long i = 1; i <= 100; i++) {
                q.append(entry(i));
            }
            q.sync();
            long end = q.sizeOnDisk();
            await(() -> q.preallocator().zeroedTo() >= end + AHEAD / 2, "the zero-filled region ahead of " + end);
            // Write through the zeroed region and past it: every record reads back, also after reopening.
            for (long i = 101; i <= 2500; i++) {
                q.append(entry(i));
            }
            q.sync();
            assertThat(readAll(q)).hasSize(2500);
            assertThat(q.preallocator().gaveUpOnFile()).isFalse();
        }
        try (RecordQueue q = open(AHEAD)) {
            List<Long> all = readAll(q);
            assertThat(all).hasSize(2500);
            assertThat(all.getFirst()).isEqualTo(1);
            assertThat(all.getLast()).isEqualTo(2500);
        }
    }

    @Test
    void neverOverwritesBytesThatAreNotZero() throws Exception {
        Path file;
        long end;
        try (RecordQueue q = open(0)) {
            q.append(entry(1));
            q.sync();
            file = q.files().getFirst();
            end = q.sizeOnDisk();
        }
        long marker = ((end + Preallocator.SLACK + 4095) & -4096L) + 4096;
        byte[] garbage = "not ours to zero".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(garbage), marker);
        }
        try (RecordQueue q = open(AHEAD)) {
            q.append(entry(2));
            await(() -> q.preallocator().gaveUpOnFile(), "preallocation to notice the foreign bytes");
        }
        ByteBuffer back = ByteBuffer.allocate(garbage.length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(back, marker);
        }
        assertThat(back.array()).isEqualTo(garbage);
    }

    @Test
    void zeroMeansNoThreadAndNoZeroing() throws Exception {
        try (RecordQueue q = open(0)) {
            for (long i = 1; i <= 10; i++) {
                q.append(entry(i));
            }
            q.sync();
            assertThat(q.preallocator().active()).as("a zeroing thread").isFalse();
            assertThat(q.preallocator().zeroedTo()).isZero();
        }
    }
}
