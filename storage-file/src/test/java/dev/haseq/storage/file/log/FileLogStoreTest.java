package dev.haseq.storage.file.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.FileLogStoreProvider;
import dev.haseq.storage.file.TestContexts;
import dev.haseq.storage.file.io.StampedHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format-specific behaviour of the file log; the shared contract is tested by the conformance suite in it-tests. */
class FileLogStoreTest {
    private static final int SEGMENT = 4096;

    @TempDir
    Path dir;
    private final TestContexts.Recorder events = new TestContexts.Recorder();

    private FileLogStore open() {
        return FileLogStore.open(TestContexts.context(dir, events), SEGMENT);
    }

    private static List<LogEntry> entries(long from, long to, long term, int dataBytes) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            byte[] d = new byte[dataBytes];
            d[0] = (byte) i;
            out.add(new LogEntry(i, term, d));
        }
        return out;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static long firstIndexOf(Path segment) {
        return Segment.parseName(segment.getFileName().toString());
    }

    @Test
    void segmentsRollBeforeTheyPassTheConfiguredSizeAndAreNamedByTheirFirstIndex() throws IOException {
        int record = LogRecords.OVERHEAD + 500;
        try (FileLogStore log = open()) {
            log.append(entries(1, 100, 1, 500));
            log.sync();
            assertThat(log.segmentCount()).isGreaterThan(10);
        }
        List<Path> files = segmentFiles();
        int perSegment = (SEGMENT - StampedHeader.BYTES) / record;
        long expectedFirst = 1;
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(SEGMENT);
            assertThat(firstIndexOf(f)).isEqualTo(expectedFirst);
            expectedFirst += perSegment;
        }
        assertThat(files).hasSize((100 + perSegment - 1) / perSegment);
    }

    @Test
    void anEntryLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 2, 1, 100));
            log.append(entries(3, 3, 1, 3 * SEGMENT));
            log.append(entries(4, 5, 1, 100));
            assertThat(log.entry(3).data()).hasSize(3 * SEGMENT);
        }
        assertThat(segmentFiles()).extracting(FileLogStoreTest::firstIndexOf).containsExactly(1L, 3L, 4L);
    }

    @Test
    void providerReadsTheSegmentSizeFromTheSystemPropertyAndDefaultsTo64MiB() {
        String key = FileLogStoreProvider.SEGMENT_BYTES_PROPERTY;
        try {
            System.clearProperty(key);
            try (FileLogStore log = (FileLogStore) new FileLogStoreProvider().open(TestContexts.context(dir, events))) {
                assertThat(log.segmentBytes()).isEqualTo(64 << 20);
            }
            System.setProperty(key, "8192");
            try (FileLogStore log = (FileLogStore) new FileLogStoreProvider().open(TestContexts.context(dir, events))) {
                assertThat(log.segmentBytes()).isEqualTo(8192);
            }
            System.setProperty(key, "lots");
            assertThatThrownBy(() -> new FileLogStoreProvider().open(TestContexts.context(dir, events)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
            System.setProperty(key, "10");
            assertThatThrownBy(() -> new FileLogStoreProvider().open(TestContexts.context(dir, events)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1024");
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void compactPrefixDeletesOnlyWholeSegmentsBelowTheIndex() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 100, 1, 500));
            List<Path> before = segmentFiles();
            long keepFrom = firstIndexOf(before.get(3));
            log.compactPrefix(keepFrom + 2);
            assertThat(segmentFiles()).containsExactlyElementsOf(before.subList(3, before.size()));
            assertThat(log.firstIndex()).isEqualTo(keepFrom + 3);
        }
    }

    @Test
    void compactionBeyondTheLastIndexIsRememberedInTheMetaFileWithNoSegmentLeft() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 30, 1, 500));
            log.compactPrefix(999);
        }
        assertThat(segmentFiles()).isEmpty();
        assertThat(LogMeta.read(dir)).hasValue(1000);
        try (FileLogStore log = open()) {
            assertThat(log.firstIndex()).isEqualTo(1000);
            assertThat(log.lastIndex()).isEqualTo(999);
            log.append(entries(1000, 1001, 2, 10));
        }
        assertThat(segmentFiles()).extracting(FileLogStoreTest::firstIndexOf).containsExactly(1000L);
    }

    @Test
    void aCompactionInterruptedAfterRecordingTheFirstIndexIsFinishedOnOpen() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 100, 1, 500));
        }
        List<Path> before = segmentFiles();
        long newFirst = firstIndexOf(before.get(2)) + 1;
        LogMeta.write(dir, newFirst);
        try (FileLogStore log = open()) {
            assertThat(log.firstIndex()).isEqualTo(newFirst);
            assertThat(log.lastIndex()).isEqualTo(100);
            assertThat(log.entry(newFirst).data()[0]).isEqualTo((byte) newFirst);
        }
        assertThat(segmentFiles()).containsExactlyElementsOf(before.subList(2, before.size()));
    }

    @Test
    void aCorruptMetaFileIsAClearErrorNotAGuess() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 10));
            log.compactPrefix(5);
        }
        Path meta = dir.resolve(LogMeta.FILE_NAME);
        byte[] b = Files.readAllBytes(meta);
        b[10] ^= 1;
        Files.write(meta, b);
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(meta.toString()).hasMessageContaining("checksum");
    }

    @Test
    void aNewestSegmentWithAnIncompleteHeaderIsRemovedAndReported() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 10, 1, 100));
        }
        Path partial = dir.resolve(Segment.fileName(11));
        Files.write(partial, new byte[] {'H', 'Q', 'L'});
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(10);
            log.append(entries(11, 12, 1, 100));
        }
        assertThat(events.torn).containsExactly(partial.getFileName() + " 0 3");
    }

    @Test
    void zerosAfterTheLastRecordAreTheEndOfTheLogNotATornTail() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 3, 1, 100));
        }
        Path seg = segmentFiles().getFirst();
        // Preallocated space, or what a power loss can leave: the file size grew but the data
        // blocks never made it. Either way nothing was acknowledged there.
        Files.write(seg, new byte[700], StandardOpenOption.APPEND);
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(3);
            log.append(entries(4, 4, 1, 100));
            log.sync();
        }
        try (FileLogStore log = open()) {
            assertThat(log.lastIndex()).isEqualTo(4);
            assertThat(log.entry(4).data()[0]).isEqualTo((byte) 4);
        }
        assertThat(events.torn).isEmpty();
    }

    @Test
    void damageInAnOlderSegmentIsAnErrorEvenAtItsLastRecord() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 40, 1, 500));
        }
        Path older = segmentFiles().getFirst();
        flip(older, Files.size(older) - 10);
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(older.toString()).hasMessageContaining("offset");
        assertThat(events.torn).isEmpty();
    }

    @Test
    void aMissingSegmentInTheMiddleIsAnErrorNamingTheNeighbours() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 40, 1, 500));
        }
        List<Path> files = segmentFiles();
        Files.delete(files.get(1));
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(files.get(0).getFileName().toString())
                .hasMessageContaining(files.get(2).getFileName().toString());
    }

    @Test
    void aSegmentWhoseHeaderDisagreesWithItsNameIsAnError() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 3, 1, 10));
        }
        Files.move(segmentFiles().getFirst(), dir.resolve(Segment.fileName(2)));
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class).hasMessageContaining("says it starts at index 1");
    }

    @Test
    void aForeignSegFileIsAnErrorNotIgnored() throws IOException {
        Files.write(dir.resolve("backup.seg"), new byte[10]);
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class).hasMessageContaining("backup.seg");
    }

    @Test
    void damageFoundByAReadAfterOpenNamesFileAndOffset() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 3, 1, 100));
            Path seg = segmentFiles().getFirst();
            long offset = StampedHeader.BYTES + LogRecords.OVERHEAD + 100;
            flip(seg, offset + 40);
            assertThat(log.entry(1).data()[0]).isEqualTo((byte) 1);
            assertThatThrownBy(() -> log.entry(2)).isInstanceOf(StorageException.class)
                    .hasMessageContaining(seg.toString()).hasMessageContaining("offset " + offset);
        }
    }

    @Test
    void truncatingIntoAnOlderSegmentDeletesTheNewerFilesAndAppendsThere() throws IOException {
        try (FileLogStore log = open()) {
            log.append(entries(1, 40, 1, 500));
            List<Path> files = segmentFiles();
            long cut = firstIndexOf(files.get(1)) + 1;
            log.truncateSuffix(cut);
            assertThat(segmentFiles()).containsExactly(files.get(0), files.get(1));
            log.append(entries(cut + 1, cut + 1, 2, 10));
            assertThat(segmentFiles()).hasSize(2);
            assertThat(log.term(cut + 1)).isEqualTo(2);
        }
    }

    @Test
    void anInterruptedReaderDoesNotBreakTheWriterOrOtherReaders() throws Exception {
        try (FileLogStore log = open()) {
            log.append(entries(1, 20, 1, 500));
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> log.entry(1)).isInstanceOf(StorageException.class).hasMessageContaining("interrupted");
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt stays visible to the caller").isTrue();
            }
            log.append(entries(21, 22, 1, 500));
            log.sync();
            Thread other = Thread.ofPlatform().start(() -> assertThat(log.entry(1).data()[0]).isEqualTo((byte) 1));
            other.join();
            assertThat(log.read(1, 22, Long.MAX_VALUE)).hasSize(22);
        }
    }

    @Test
    void aClosedLogRejectsUse() {
        FileLogStore log = open();
        log.append(entries(1, 2, 1, 10));
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append(entries(3, 3, 1, 10))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> log.entry(1)).isInstanceOf(IllegalStateException.class);
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, offset);
        }
    }
}
