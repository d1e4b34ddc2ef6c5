package dev.haseq.storage.file.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.codec.Codecs;
import dev.haseq.api.storage.LogEntry;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class LogRecordsTest {
    private final CRC32C crc = new CRC32C();

    private static byte[] encode(LogEntry e) {
        byte[] buf = new byte[LogRecords.frameLength(e) + 3];
        LogRecords.encode(e, buf, 3, new CRC32C());
        return Arrays.copyOfRange(buf, 3, buf.length);
    }

    @Test
    void recordIsExactlyTheFrameThatTheSharedCodecWrites() {
        LogEntry e = new LogEntry(42, 7, new byte[] {1, 2, 3, 4, 5});
        byte[] record = encode(e);
        assertThat(record).isEqualTo(Codecs.LOG_ENTRY.encode(e));
        assertThat(Codecs.LOG_ENTRY.decode(record)).isEqualTo(e);
        assertThat(record).hasSize(LogRecords.OVERHEAD + 5);
    }

    @Test
    void validRecordChecksAndDecodes() {
        LogEntry e = new LogEntry(9, 2, new byte[0]);
        byte[] record = encode(e);
        assertThat(LogRecords.announcedLength(record, 0)).isEqualTo(record.length);
        assertThat(LogRecords.check(record, 0, record.length, 9, crc)).isNull();
        assertThat(LogRecords.decode(record, 0, record.length)).isEqualTo(e);
    }

    @Test
    void everySingleFlippedByteIsDetected() {
        byte[] record = encode(new LogEntry(1234, 5, "some entry data".getBytes()));
        for (int i = 0; i < record.length; i++) {
            byte[] bad = record.clone();
            bad[i] ^= 0x10;
            assertThat(LogRecords.check(bad, 0, bad.length, 1234, crc)).as("flip at byte %d", i).isNotNull();
        }
    }

    @Test
    void recordOfAnotherIndexIsRejectedEvenWithAValidChecksum() {
        byte[] record = encode(new LogEntry(5, 1, new byte[10]));
        assertThat(LogRecords.check(record, 0, record.length, 6, crc)).contains("index 5").contains("index 6");
    }

    @Test
    void headerOfAnotherFrameTypeIsNotALogRecord() {
        byte[] frame = Codecs.SNAPSHOT_META.encode(dev.haseq.api.storage.SnapshotMeta.of(1, 1));
        assertThat(LogRecords.announcedLength(frame, 0)).isEqualTo(-1);
    }
}
