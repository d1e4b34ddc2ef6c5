package dev.haseq.storage.chronicle;

import dev.haseq.api.storage.AtomicFiles;
import dev.haseq.api.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The file {@value #FILE_NAME} beside the queue files: the highest Raft index removed by
 * {@code compactPrefix}. It lives outside the queue because compaction deletes queue files, and
 * the log's first index must survive that and a restart, including a compaction beyond the last
 * entry (which leaves an empty log whose next index is {@code upToIndex + 1}).
 *
 * <p>Layout: magic {@code "HQCM"} (4 bytes), version u8 = 1, compactedThrough i64, crc32c u32 over
 * the bytes before it. Replaced atomically ({@link AtomicFiles#replace}: temp file, fsync, rename,
 * fsync of the directory), so a crash leaves either the old or the new value. Not thread-safe; the
 * log's writer calls it.
 */
final class CompactionMarker {
    static final String FILE_NAME = "haseq-compaction";
    private static final int MAGIC = 0x4851434D; // "HQCM"
    private static final int VERSION = 1;
    private static final int SIZE = 4 + 1 + 8 + 4;

    private CompactionMarker() {
    }

    /** The stored value, 0 when there is no marker (nothing compacted yet). */
    static long read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Optional<byte[]> stored = AtomicFiles.read(file);
        if (stored.isEmpty()) {
            return 0;
        }
        byte[] b = stored.get();
        if (b.length != SIZE) {
            throw new StorageException(file + " has " + b.length + " bytes, expected " + SIZE
                    + ": the compaction marker is corrupt");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, SIZE - 4);
        if (buf.getInt(0) != MAGIC || b[4] != VERSION || buf.getInt(SIZE - 4) != (int) crc.getValue()) {
            throw new StorageException(file + " is not a valid compaction marker (bad magic, version or"
                    + " checksum): the log's first index is unknown, so the log cannot be opened safely");
        }
        long value = buf.getLong(5);
        if (value < 0) {
            throw new StorageException(file + " holds a negative index " + value);
        }
        return value;
    }

    /** Durably replaces the marker with {@code compactedThrough}. */
    static void write(Path dir, long compactedThrough) {
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        buf.putInt(MAGIC).put((byte) VERSION).putLong(compactedThrough);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, SIZE - 4);
        buf.putInt((int) crc.getValue());
        AtomicFiles.replace(dir.resolve(FILE_NAME), buf.array());
    }
}
