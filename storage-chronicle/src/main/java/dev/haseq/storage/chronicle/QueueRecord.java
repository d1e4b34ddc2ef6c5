package dev.haseq.storage.chronicle;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * What one Chronicle excerpt of a haseq store holds. Chronicle frames excerpts but does not
 * checksum them, so each record carries its own CRC32C. Layout (big-endian):
 *
 * <pre>
 *   format  u8   {@link #FORMAT}
 *   kind    u8   1 entry, 2 truncate, 3 cut, 4 block
 *   ...     kind-specific fields (below)
 *   crc32c  u32  over every byte before it
 *
 *   entry:    index i64, term i64, length i32, data
 *   truncate: afterIndex i64                 (entries with a greater index written earlier are dead)
 *   cut:      fromQueueIndex i64             (unreadable records from that Chronicle index up to this one are dead)
 *   block:    height i64, length i32, frame  (the block as a {@code Codecs.BLOCK} envelope)
 * </pre>
 *
 * The Raft index and block height are stored inside the record and never derived from
 * Chronicle's index, whose sequence numbers restart with every roll cycle.
 */
sealed interface QueueRecord {
    int FORMAT = 0x48;
    int KIND_ENTRY = 1;
    int KIND_TRUNCATE = 2;
    int KIND_CUT = 3;
    int KIND_BLOCK = 4;
    int CRC_BYTES = 4;

    /** A Raft log entry. */
    record Entry(long index, long term, byte[] data) implements QueueRecord {
    }

    /** Every entry with index {@code > afterIndex} written before this record is superseded. */
    record Truncate(long afterIndex) implements QueueRecord {
    }

    /** The unreadable records from Chronicle index {@code fromQueueIndex} up to this one were cut on open. */
    record Cut(long fromQueueIndex) implements QueueRecord {
    }

    /** A committed block: its height and its {@code Codecs.BLOCK} frame. */
    record Block(long height, byte[] frame) implements QueueRecord {
    }

    static int encodedSize(QueueRecord r) {
        return 2 + CRC_BYTES + switch (r) {
            case Entry e -> 8 + 8 + 4 + e.data().length;
            case Truncate t -> 8;
            case Cut v -> 8;
            case Block b -> 8 + 4 + b.frame().length;
        };
    }

    /** Encodes {@code r} into {@code out[0, n)} and returns {@code n}; {@code out} must hold {@link #encodedSize}. */
    static int encode(QueueRecord r, byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(out);
        b.put((byte) FORMAT);
        switch (r) {
            case Entry e -> b.put((byte) KIND_ENTRY).putLong(e.index()).putLong(e.term()).putInt(e.data().length).put(e.data());
            case Truncate t -> b.put((byte) KIND_TRUNCATE).putLong(t.afterIndex());
            case Cut v -> b.put((byte) KIND_CUT).putLong(v.fromQueueIndex());
            case Block k -> b.put((byte) KIND_BLOCK).putLong(k.height()).putInt(k.frame().length).put(k.frame());
        }
        int n = b.position();
        CRC32C crc = new CRC32C();
        crc.update(out, 0, n);
        b.putInt((int) crc.getValue());
        return n + CRC_BYTES;
    }

    /**
     * Decodes one record.
     *
     * @throws IllegalArgumentException naming what is wrong if the bytes are not a valid record
     */
    static QueueRecord decode(byte[] buf, int len) {
        if (len < 2 + CRC_BYTES) {
            throw new IllegalArgumentException("record of " + len + " bytes is too short");
        }
        if ((buf[0] & 0xFF) != FORMAT) {
            throw new IllegalArgumentException(String.format("bad record format byte 0x%02x (expected 0x%02x)",
                    buf[0] & 0xFF, FORMAT));
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, 0, len - CRC_BYTES);
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        int stored = b.getInt(len - CRC_BYTES);
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException(String.format("record checksum mismatch (stored %08x, computed %08x)",
                    stored, (int) crc.getValue()));
        }
        b.limit(len - CRC_BYTES).position(1);
        int kind = b.get() & 0xFF;
        QueueRecord r;
        try {
            r = switch (kind) {
                case KIND_ENTRY -> new Entry(b.getLong(), b.getLong(), bytes(b));
                case KIND_TRUNCATE -> new Truncate(b.getLong());
                case KIND_CUT -> new Cut(b.getLong());
                case KIND_BLOCK -> new Block(b.getLong(), bytes(b));
                default -> throw new IllegalArgumentException("unknown record kind " + kind);
            };
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record of kind " + kind + " is truncated", e);
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " unexpected bytes after a record of kind " + kind);
        }
        return r;
    }

    private static byte[] bytes(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("record length " + n + " but " + b.remaining() + " bytes left");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
