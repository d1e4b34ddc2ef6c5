package dev.haseq.storage.file.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.FileLogStoreProvider;
import dev.haseq.storage.file.TestContexts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newest segment's preallocated tail: zeros after the last record are the end of the log on
 * open, never damage and never a reported repair; torn records before them are cut as before;
 * truncation, rolling and compaction leave no stale bytes; a failing preallocator never breaks
 * appends. Most tests run the preallocator's passes by hand ({@code runOnce}) so that what is on
 * disk at each step is certain.
 */
class PreallocationTest {
    private static final int SEGMENT = 1 << 20;
    private static final long AHEAD = 64 << 10;

    @TempDir
    Path dir;
    private final TestContexts.Recorder events = new TestContexts.Recorder();
    private SegmentPreallocator prealloc;

    /** A log whose preallocator runs only when the test calls {@code prealloc.runOnce()}. */
    private FileLogStore open(int segment, long ahead, SegmentPreallocator.Opener opener) {
        return FileLogStore.open(TestContexts.context(dir, events), segment,
                d -> prealloc = new SegmentPreallocator(d.toString(), ahead, segment, opener, false));
    }

    private FileLogStore open() {
        return open(SEGMENT, AHEAD, SegmentPreallocator.FILES);
    }

    private static List<LogEntry> entries(long from, long to, long term, int dataBytes) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            byte[] d = new byte[dataBytes];
            d[0] = (byte) i;
            d[dataBytes - 1] = (byte) (i >> 8);
            out.add(new LogEntry(i, term, d));
        }
        return out;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** Where the records of the only/last segment end, from the records' own lengths. */
    private static long recordsEnd(int records, int dataBytes) {
        return 20 + (long) records * (LogRecords.OVERHEAD + dataBytes);
    }

    private static boolean allZeroFrom(Path file, long from) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (long i = from; i < b.length; i++) {
            if (b[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aPassZeroFillsAheadOfTheLastRecordUpToTheConfiguredDistance() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
            Path seg = segmentFiles().getFirst();
            long end = recordsEnd(10, 100);
            assertThat(prealloc.zeroedTo()).isEqualTo(end + AHEAD);
            assertThat(Files.size(seg)).isEqualTo(end + AHEAD);
            assertThat(allZeroFrom(seg, end)).isTrue();
            assertThat(log.read(1, 10, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 10, 1, 100));
            assertThat(log.sizeOnDisk()).as("zeros are not records").isEqualTo(end);
        }
    }

    @Test
    void zerosAfterTheLastRecordAreTheEndOfTheLogAreKeptAndAreNotReported() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
        }
        Path seg = segmentFiles().getFirst();
        long size = Files.size(seg);
        assertThat(size).isGreaterThan(recordsEnd(10, 100));
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(10);
            assertThat(Files.size(seg)).as("the preallocated tail is kept").isEqualTo(size);
            log.append(entries(11, 20, 1, 100));
            log.sync();
            assertThat(Files.size(seg)).as("records went into the zeros, not after them").isEqualTo(size);
        }
        try (FileLogStore log = open()) {
            assertThat(log.read(1, 20, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 20, 1, 100));
        }
        assertThat(events.torn).isEmpty();
    }

    @Test
    void aRecordWhoseChecksumEndsInZeroBytesIsNotTakenForPreallocatedZeros() throws IOException {
        LogEntry zeroTail = entryWhoseRecordEndsInAZeroByte(2);
        try (FileLogStore log = open()) {
            log.append(List.of(new LogEntry(1, 1, new byte[] {1}), zeroTail));
            prealloc.runOnce();
        }
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(2);
            assertThat(log.entry(2)).isEqualTo(zeroTail);
        }
        assertThat(events.torn).isEmpty();
    }

    private static LogEntry entryWhoseRecordEndsInAZeroByte(long index) {
        CRC32C crc = new CRC32C();
        // One in 256 checksums ends in a zero byte; 100,000 candidates miss with odds below 1e-170.
        for (int seed = 0; seed < 100_000; seed++) {
            LogEntry e = new LogEntry(index, 1, new byte[] {(byte) seed, (byte) (seed >> 8), (byte) (seed >> 16), 5});
            byte[] rec = new byte[LogRecords.frameLength(e)];
            LogRecords.encode(e, rec, 0, crc);
            if (rec[rec.length - 1] == 0) {
                return e;
            }
        }
        throw new AssertionError("no entry found whose record ends in a zero byte");
    }

    @Test
    void aTornRecordFollowedByZerosIsCutWithTheZerosAndReportedWithItsOwnSize() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
        }
        Path seg = segmentFiles().getFirst();
        long lastStart = recordsEnd(9, 100);
        flip(seg, lastStart + 50); // inside the last record's data: its checksum fails
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(9);
            assertThat(log.read(1, 9, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 9, 1, 100));
        }
        assertThat(Files.size(seg)).isEqualTo(lastStart);
        assertThat(events.torn).containsExactly(seg.getFileName() + " " + lastStart + " " + (LogRecords.OVERHEAD + 100));
    }

    @Test
    void aCrashAfterOnlyTheStartOfARecordReachedThePreallocatedTailIsATornTail() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
        }
        Path seg = segmentFiles().getFirst();
        long end = recordsEnd(10, 100);
        // The next record's first 40 bytes made it to disk, its remaining bytes are still zeros.
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 7);
        LogEntry torn = new LogEntry(11, 1, data);
        byte[] next = new byte[LogRecords.frameLength(torn)];
        LogRecords.encode(torn, next, 0, new CRC32C());
        write(seg, end, ByteBuffer.wrap(next, 0, 40));
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(10);
            log.append(entries(11, 12, 2, 100));
            log.sync();
        }
        assertThat(events.torn).containsExactly(seg.getFileName() + " " + end + " 40");
        try (FileLogStore log = open()) {
            assertThat(log.read(11, 12, Long.MAX_VALUE)).containsExactlyElementsOf(entries(11, 12, 2, 100));
        }
        assertThat(events.torn).hasSize(1);
    }

    @Test
    void damageBeforeTheZerosWithValidRecordsBeforeTheZerosStillRefusesToOpen() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
        }
        Path seg = segmentFiles().getFirst();
        long thirdStart = recordsEnd(2, 100);
        flip(seg, thirdStart + 50);
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(seg.toString()).hasMessageContaining("offset " + thirdStart)
                .hasMessageContaining("Valid records follow");
        assertThat(events.torn).isEmpty();
    }

    @Test
    void truncateSuffixCutsTheFileSoNoRemovedRecordIsReadableAfterTheNewEnd() throws IOException {
        long end20 = recordsEnd(20, 100);
        try (FileLogStore log = open()) {
            log.append(entries(1, 50, 1, 100));
            prealloc.runOnce();
            Path seg = segmentFiles().getFirst();
            log.truncateSuffix(20);
            assertThat(Files.size(seg)).as("removed records and zeros are cut").isEqualTo(end20);
            prealloc.runOnce();
            assertThat(Files.size(seg)).as("zeroing restarts from the new end").isGreaterThan(end20);
            assertThat(allZeroFrom(seg, end20)).as("nothing but zeros after the new end").isTrue();
            log.sync();
        }
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(20);
            log.append(entries(21, 22, 2, 30));
            log.sync();
        }
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(22);
            assertThat(log.term(21)).isEqualTo(2);
            assertThat(log.read(21, 22, Long.MAX_VALUE)).containsExactlyElementsOf(entries(21, 22, 2, 30));
        }
        assertThat(events.torn).isEmpty();
    }

    @Test
    void truncatingTheWholeNewestSegmentAwayLeavesNoZerosAndAppendsStartAFreshSegment() throws IOException {
        int segment = 8192;
        long firstOfLast;
        try (FileLogStore log = open(segment, segment, SegmentPreallocator.FILES)) {
            log.append(entries(1, 40, 1, 500));
            prealloc.runOnce();
            List<Path> files = segmentFiles();
            assertThat(Files.size(files.getLast())).as("the newest segment is preallocated").isEqualTo(segment);
            firstOfLast = Segment.parseName(files.getLast().getFileName().toString());
            log.truncateSuffix(firstOfLast - 1);
            assertThat(segmentFiles()).containsExactlyElementsOf(files.subList(0, files.size() - 1));
            Path newLast = segmentFiles().getLast();
            long newLastEnd = recordsEnd((int) (firstOfLast - Segment.parseName(newLast.getFileName().toString())), 500);
            assertThat(Files.size(newLast)).as("the sealed segment ends at its last record").isEqualTo(newLastEnd);
            prealloc.runOnce();
            assertThat(Files.size(newLast)).as("now the newest, it is zeroed ahead again").isEqualTo(segment);
            log.append(entries(firstOfLast, firstOfLast + 20, 3, 500));
            log.sync();
        }
        try (FileLogStore log = open(segment, segment, SegmentPreallocator.FILES)) {
            assertThat(log.lastIndex()).isEqualTo(firstOfLast + 20);
            assertThat(log.read(firstOfLast, firstOfLast + 20, Long.MAX_VALUE))
                    .containsExactlyElementsOf(entries(firstOfLast, firstOfLast + 20, 3, 500));
            assertThat(log.term(firstOfLast - 1)).isEqualTo(1);
        }
        assertThat(events.torn).isEmpty();
    }

    @Test
    void rollingTrimsTheSealedSegmentToItsLastRecord() throws IOException {
        int segment = 16384;
        int data = 1000;
        try (FileLogStore log = open(segment, segment, SegmentPreallocator.FILES)) {
            for (long i = 1; i <= 60; i++) {
                log.append(entries(i, i, 1, data));
                prealloc.runOnce();
            }
            log.sync();
            assertThat(log.segmentCount()).isGreaterThan(3);
        }
        List<Path> files = segmentFiles();
        int perSegment = (segment - 20) / (LogRecords.OVERHEAD + data);
        for (Path sealed : files.subList(0, files.size() - 1)) {
            assertThat(Files.size(sealed)).as(sealed.toString()).isEqualTo(recordsEnd(perSegment, data));
        }
        assertThat(Files.size(files.getLast())).as("the newest one is preallocated to the segment size")
                .isEqualTo(segment);
        try (FileLogStore log = open(segment, segment, SegmentPreallocator.FILES)) {
            assertThat(log.read(1, 60, Long.MAX_VALUE)).containsExactlyElementsOf(
                    Stream.iterate(1L, i -> i + 1).limit(60).flatMap(i -> entries(i, i, 1, data).stream()).toList());
        }
        assertThat(events.torn).isEmpty();
    }

    @Test
    void anOlderSegmentWhoseTrimWasLostStillEndsAtItsLastRecord() throws IOException {
        try (FileLogStore log = open(4096, 4096, SegmentPreallocator.FILES)) {
            log.append(entries(1, 40, 1, 500));
        }
        Path older = segmentFiles().getFirst();
        Files.write(older, new byte[600], StandardOpenOption.APPEND);
        try (FileLogStore log = open(4096, 4096, SegmentPreallocator.FILES)) {
            assertThat(log.read(1, 40, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 40, 1, 500));
        }
        assertThat(events.torn).isEmpty();
    }

    @Test
    void zerosOverTheLastRecordOfAnOlderSegmentAreAnErrorNamingTheZeros() throws IOException {
        try (FileLogStore log = open(4096, 4096, SegmentPreallocator.FILES)) {
            log.append(entries(1, 40, 1, 500));
        }
        List<Path> files = segmentFiles();
        Path older = files.getFirst();
        long size = Files.size(older);
        long lastRecord = size - (LogRecords.OVERHEAD + 500);
        write(older, lastRecord, ByteBuffer.wrap(new byte[(int) (size - lastRecord)]));
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(older.getFileName().toString())
                .hasMessageContaining(files.get(1).getFileName().toString())
                .hasMessageContaining("only zeros from offset " + lastRecord);
        assertThat(events.torn).isEmpty();
    }

    @Test
    void compactingEverythingAwayStopsZeroingTheDeletedSegmentAndANewOneIsZeroed() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
            log.compactPrefix(10);
            prealloc.runOnce();
            assertThat(segmentFiles()).isEmpty();
            log.append(entries(11, 12, 1, 100));
            prealloc.runOnce();
            Path seg = segmentFiles().getFirst();
            assertThat(Segment.parseName(seg.getFileName().toString())).isEqualTo(11);
            assertThat(Files.size(seg)).isEqualTo(recordsEnd(2, 100) + AHEAD);
        }
    }

    @Test
    void failingToOpenTheSegmentForZeroingStopsPreallocationButNotAppends() throws IOException {
        SegmentPreallocator.Opener full = f -> {
            throw new IOException("No space left on device");
        };
        try (FileLogStore log = open(SEGMENT, AHEAD, full)) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
            assertThat(prealloc.failed()).isTrue();
            assertThat(log.preallocating()).isFalse();
            log.append(entries(11, 20, 1, 100));
            log.sync();
            prealloc.runOnce();
            assertThat(Files.size(segmentFiles().getFirst())).isEqualTo(recordsEnd(20, 100));
        }
        try (FileLogStore log = open()) {
            assertThat(log.read(1, 20, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 20, 1, 100));
        }
    }

    @Test
    void aWriteErrorWhileZeroingStopsPreallocationButNotAppends() throws IOException {
        // A channel that cannot write: every zero write fails, as on a failing device.
        SegmentPreallocator.Opener readOnly = f -> FileChannel.open(f, StandardOpenOption.READ);
        try (FileLogStore log = open(SEGMENT, AHEAD, readOnly)) {
            log.append(entries(1, 10, 1, 100));
            prealloc.runOnce();
            assertThat(prealloc.failed()).isTrue();
            log.append(entries(11, 20, 1, 100));
            log.sync();
        }
        try (FileLogStore log = open()) {
            assertThat(log.read(1, 20, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, 20, 1, 100));
        }
        assertThat(events.torn).isEmpty();
    }

    @Test
    void zeroBytesTurnsPreallocationOffAndFilesEndAtTheirRecords() throws IOException {
        try (FileLogStore log = FileLogStore.open(TestContexts.context(dir, events), SEGMENT, 0)) {
            assertThat(log.preallocating()).isFalse();
            log.append(entries(1, 10, 1, 100));
            log.sync();
            assertThat(Files.size(segmentFiles().getFirst())).isEqualTo(recordsEnd(10, 100));
        }
        assertThatThrownBy(() -> FileLogStore.open(TestContexts.context(dir, events), SEGMENT, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 = off");
    }

    @Test
    void providerReadsThePreallocationFromTheSystemProperty() {
        String key = FileLogStoreProvider.PREALLOCATE_BYTES_PROPERTY;
        try {
            System.clearProperty(key);
            try (FileLogStore log = (FileLogStore) new FileLogStoreProvider().open(TestContexts.context(dir, events))) {
                assertThat(log.preallocating()).isTrue();
            }
            System.setProperty(key, "0");
            try (FileLogStore log = (FileLogStore) new FileLogStoreProvider().open(TestContexts.context(dir, events))) {
                assertThat(log.preallocating()).isFalse();
            }
            for (String bad : List.of("lots", "-5")) {
                System.setProperty(key, bad);
                assertThatThrownBy(() -> new FileLogStoreProvider().open(TestContexts.context(dir, events)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key).hasMessageContaining(bad);
            }
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void theBackgroundThreadZeroesAheadWhileTheWriterAppendsWithoutTouchingARecord() throws Exception {
        int segment = 256 << 10;
        int data = 200;
        long total = 3000;
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        try (FileLogStore log = FileLogStore.open(TestContexts.context(dir, events), segment, 32 << 10)) {
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 20_000 && log.lastIndex() < total; i++) {
                        long last = log.lastIndex();
                        if (last >= 1) {
                            assertThat(log.entry(last).data()[0]).isEqualTo((byte) last);
                        }
                    }
                } catch (Throwable t) {
                    readerFailure.set(t);
                }
            });
            for (long i = 1; i <= total; i += 10) {
                log.append(entries(i, i + 9, 1, data));
                if (i % 100 == 1) {
                    log.sync();
                }
            }
            log.sync();
            reader.join(60_000);
            assertThat(readerFailure.get()).isNull();
            assertThat(log.read(1, total, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, total, 1, data));
        }
        try (FileLogStore log = FileLogStore.open(TestContexts.context(dir, events), segment, 32 << 10)) {
            assertThat(log.lastIndex()).isEqualTo(total);
            assertThat(log.read(1, total, Long.MAX_VALUE)).containsExactlyElementsOf(entries(1, total, 1, data));
        }
        assertThat(events.torn).isEmpty();
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, offset);
        }
    }

    private static void write(Path file, long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes, offset + bytes.position());
            }
        }
    }
}
