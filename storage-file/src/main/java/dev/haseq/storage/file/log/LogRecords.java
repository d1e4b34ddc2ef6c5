package dev.haseq.storage.file.log;

import dev.haseq.api.codec.Envelope;
import dev.haseq.api.codec.TypeIds;
import dev.haseq.api.storage.LogEntry;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One log entry on disk: exactly the {@link Envelope} frame that {@code Codecs.LOG_ENTRY.encode}
 * produces (so any haseq tool can decode it), written here straight into a reusable buffer
 * instead of through intermediate arrays.
 *
 * <pre>
 *   0  magic 0xA7 | version 1 | type u16 = LOG_ENTRY | payload length u32
 *   8  index i64 | term i64 | data length u32 | data
 *   .. crc32c u32 over every byte before it
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class LogRecords {
    /** Bytes a record adds to its data: frame header and trailer, index, term, data length. */
    static final int OVERHEAD = Envelope.OVERHEAD + 8 + 8 + 4;
    /** The largest data an entry may carry: the frame payload limit less index, term and length. */
    static final int MAX_DATA = Envelope.DEFAULT_MAX_PAYLOAD - 20;

    private LogRecords() {
    }

    static int frameLength(LogEntry e) {
        return OVERHEAD + e.data().length;
    }

    /** Data length of a record of {@code frameLength} bytes. */
    static int dataLength(int frameLength) {
        return frameLength - OVERHEAD;
    }

    /** Writes the record at {@code buf[off..]}; the caller made room for {@link #frameLength}. */
    static void encode(LogEntry e, byte[] buf, int off, CRC32C crc) {
        byte[] data = e.data();
        ByteBuffer b = ByteBuffer.wrap(buf, off, OVERHEAD + data.length);
        b.put((byte) Envelope.MAGIC).put((byte) Envelope.VERSION).putShort((short) TypeIds.LOG_ENTRY)
                .putInt(20 + data.length).putLong(e.index()).putLong(e.term()).putInt(data.length).put(data);
        crc.reset();
        crc.update(buf, off, OVERHEAD - 4 + data.length);
        b.putInt((int) crc.getValue());
    }

    /**
     * The frame length announced by the header at {@code buf[off..off+8)}, or -1 when those bytes
     * cannot start a log record (wrong magic, version or type, or a length over the limit).
     */
    static int announcedLength(byte[] buf, int off) {
        if ((buf[off] & 0xFF) != Envelope.MAGIC || buf[off + 1] != Envelope.VERSION
                || (((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF)) != TypeIds.LOG_ENTRY) {
            return -1;
        }
        int payload = ByteBuffer.wrap(buf, off + 4, 4).getInt();
        if (payload < 20 || payload > Envelope.DEFAULT_MAX_PAYLOAD) {
            return -1;
        }
        return payload + Envelope.OVERHEAD;
    }

    /**
     * Checks the record of {@code len} bytes at {@code buf[off..]} and that it holds {@code expectedIndex}.
     *
     * @return null when valid, else what is wrong
     */
    static String check(byte[] buf, int off, int len, long expectedIndex, CRC32C crc) {
        if (len < OVERHEAD) {
            return "record of " + len + " bytes is shorter than the " + OVERHEAD + "-byte minimum";
        }
        int announced = announcedLength(buf, off);
        if (announced < 0) {
            return String.format("not a log record header (bytes %02x %02x %02x %02x)",
                    buf[off], buf[off + 1], buf[off + 2], buf[off + 3]);
        }
        if (announced != len) {
            return "record announces " + announced + " bytes, " + len + " present";
        }
        crc.reset();
        crc.update(buf, off, len - 4);
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        int stored = b.getInt(off + len - 4);
        if ((int) crc.getValue() != stored) {
            return String.format("checksum mismatch (stored %08x, computed %08x)", stored, (int) crc.getValue());
        }
        long index = b.getLong(off + 8);
        int dataLen = b.getInt(off + 24);
        if (dataLen != len - OVERHEAD) {
            return "data length " + dataLen + " does not match the record length " + len;
        }
        if (index != expectedIndex) {
            return "record holds index " + index + " where index " + expectedIndex + " belongs";
        }
        return null;
    }

    /** Decodes a record already {@link #check checked}. */
    static LogEntry decode(byte[] buf, int off, int len) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        long index = b.getLong(off + 8);
        long term = b.getLong(off + 16);
        byte[] data = new byte[len - OVERHEAD];
        System.arraycopy(buf, off + 28, data, 0, data.length);
        return new LogEntry(index, term, data);
    }

    static long term(byte[] buf, int off) {
        return ByteBuffer.wrap(buf).getLong(off + 16);
    }
}
