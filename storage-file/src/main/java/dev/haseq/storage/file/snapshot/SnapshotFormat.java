package dev.haseq.storage.file.snapshot;

import dev.haseq.api.storage.SnapshotMeta;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The layout of a {@code <term>-<index>.snp} file. Stateless and thread-safe.
 *
 * <pre>
 *   header   magic "HQSN" | version u16 | reserved u16 | index i64 | term i64 | crc32c u32 (of the header)
 *   payload  the state machine's bytes, streamed
 *   trailer  magic "HQSE" | payload length i64 | payload crc32c u32 | crc32c u32 (of the trailer)
 * </pre>
 *
 * The checksum sits in a trailer because the payload is streamed: it is known only at the end.
 * A file without a valid trailer was never committed completely (or was cut) and is corrupt.
 */
final class SnapshotFormat {
    static final int VERSION = 1;
    static final int HEADER_BYTES = 4 + 2 + 2 + 8 + 8 + 4;
    static final int TRAILER_BYTES = 4 + 8 + 4 + 4;
    static final String SUFFIX = ".snp";
    private static final byte[] HEADER_MAGIC = "HQSN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER_MAGIC = "HQSE".getBytes(StandardCharsets.US_ASCII);

    private SnapshotFormat() {
    }

    /** What the trailer says about the payload. */
    record Trailer(long payloadLength, int payloadCrc) {
    }

    static String fileName(SnapshotMeta meta) {
        return meta.name() + SUFFIX;
    }

    /** The (index, term) a file name stands for, with size -1; null if it is not a snapshot name. */
    static SnapshotMeta parseName(String name) {
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        String base = name.substring(0, name.length() - SUFFIX.length());
        int dash = base.indexOf('-');
        if (dash <= 0 || dash == base.length() - 1 || !digits(base, 0, dash) || !digits(base, dash + 1, base.length())) {
            return null;
        }
        try {
            long term = Long.parseLong(base, 0, dash, 10);
            long index = Long.parseLong(base, dash + 1, base.length(), 10);
            return SnapshotMeta.of(index, term);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static byte[] header(SnapshotMeta meta) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(HEADER_MAGIC).putShort((short) VERSION).putShort((short) 0).putLong(meta.index()).putLong(meta.term());
        b.putInt(crc(b.array(), HEADER_BYTES - 4));
        return b.array();
    }

    /** Checks a header against the meta its file name gives; returns null if valid, else the problem. */
    static String checkHeader(byte[] h, SnapshotMeta named) {
        ByteBuffer b = ByteBuffer.wrap(h);
        if (!Arrays.equals(h, 0, 4, HEADER_MAGIC, 0, 4)) {
            return "bad header magic: not a haseq snapshot";
        }
        if (crc(h, HEADER_BYTES - 4) != b.getInt(HEADER_BYTES - 4)) {
            return "header checksum mismatch";
        }
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version != VERSION) {
            return "unsupported snapshot version " + version + " (this build reads " + VERSION + ")";
        }
        long index = b.getLong(8);
        long term = b.getLong(16);
        if (index != named.index() || term != named.term()) {
            return String.format(Locale.ROOT, "header says term %d index %d, the file name says term %d index %d",
                    term, index, named.term(), named.index());
        }
        return null;
    }

    static byte[] trailer(long payloadLength, int payloadCrc) {
        ByteBuffer b = ByteBuffer.allocate(TRAILER_BYTES);
        b.put(TRAILER_MAGIC).putLong(payloadLength).putInt(payloadCrc);
        b.putInt(crc(b.array(), TRAILER_BYTES - 4));
        return b.array();
    }

    /** Decodes a trailer; throws {@link IllegalArgumentException} with the problem if it is not valid. */
    static Trailer readTrailer(byte[] t) {
        ByteBuffer b = ByteBuffer.wrap(t);
        if (!Arrays.equals(t, 0, 4, TRAILER_MAGIC, 0, 4)) {
            throw new IllegalArgumentException("no valid trailer (bad magic): the file is incomplete or damaged");
        }
        if (crc(t, TRAILER_BYTES - 4) != b.getInt(TRAILER_BYTES - 4)) {
            throw new IllegalArgumentException("trailer checksum mismatch");
        }
        return new Trailer(b.getLong(4), b.getInt(12));
    }

    private static int crc(byte[] b, int len) {
        CRC32C c = new CRC32C();
        c.update(b, 0, len);
        return (int) c.getValue();
    }
}
