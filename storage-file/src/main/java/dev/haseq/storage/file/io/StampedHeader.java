package dev.haseq.storage.file.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A small fixed-size, checksummed record that identifies a file and carries one number: the
 * header of a log segment (its first index), the log's meta file (its first index) and the
 * snapshot header use it.
 *
 * <pre>
 *   magic    4 bytes   ASCII, says what the file is
 *   version  u16       {@link #VERSION}
 *   reserved u16       0
 *   value    i64
 *   crc32c   u32       over the 16 bytes before it
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class StampedHeader {
    public static final int BYTES = 20;
    public static final int VERSION = 1;

    private StampedHeader() {
    }

    public static byte[] encode(String magic, long value) {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.put(magicBytes(magic)).putShort((short) VERSION).putShort((short) 0).putLong(value);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, BYTES - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** What {@link #decode} found. */
    public sealed interface Decoded {
    }

    /** A valid header carrying {@code value}. */
    public record Valid(long value) implements Decoded {
    }

    /** Not a valid header, and why. */
    public record Invalid(String reason) implements Decoded {
    }

    public static Decoded decode(byte[] bytes, String magic) {
        if (bytes.length < BYTES) {
            return new Invalid("header is " + bytes.length + " bytes, " + BYTES + " expected");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] m = new byte[4];
        b.get(m);
        if (!Arrays.equals(m, magicBytes(magic))) {
            return new Invalid("bad magic '" + new String(m, StandardCharsets.ISO_8859_1) + "' (expected '" + magic + "')");
        }
        int version = Short.toUnsignedInt(b.getShort());
        b.getShort();
        long value = b.getLong();
        int stored = b.getInt();
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, BYTES - 4);
        if ((int) crc.getValue() != stored) {
            return new Invalid(String.format("header checksum mismatch (stored %08x, computed %08x)",
                    stored, (int) crc.getValue()));
        }
        if (version != VERSION) {
            return new Invalid("unsupported version " + version + " (this build reads " + VERSION + ")");
        }
        return new Valid(value);
    }

    private static byte[] magicBytes(String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (m.length != 4) {
            throw new IllegalArgumentException("magic must be 4 ASCII characters: " + magic);
        }
        return m;
    }
}
