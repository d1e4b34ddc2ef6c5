package dev.haseq.api.codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * The one frame format for every value haseq persists or transmits.
 *
 * <pre>
 *   magic    u8   0xA7
 *   version  u8   {@link #VERSION}
 *   type     u16  what the payload is (see {@link TypeIds})
 *   length   u32  payload length
 *   payload  length bytes
 *   crc32c   u32  over every byte before it (magic .. payload)
 * </pre>
 *
 * <p>Decoding checks the magic, the version, the length against a caller-given maximum (before
 * allocating), and the checksum; any mismatch is a {@link CodecException} that says which.
 * All methods are stateless and thread-safe.
 */
public final class Envelope {
    public static final int MAGIC = 0xA7;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 8;
    public static final int TRAILER_BYTES = 4;
    public static final int OVERHEAD = HEADER_BYTES + TRAILER_BYTES;
    /** Default cap on a payload when the caller gives none: 64 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 64 << 20;

    private Envelope() {
    }

    /** A decoded frame. */
    public record Frame(int type, byte[] payload) {
    }

    public static byte[] wrap(int type, byte[] payload) {
        return wrap(type, payload, 0, payload.length);
    }

    public static byte[] wrap(int type, byte[] payload, int off, int len) {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("type must fit in u16: " + type);
        }
        byte[] out = new byte[OVERHEAD + len];
        out[0] = (byte) MAGIC;
        out[1] = (byte) VERSION;
        out[2] = (byte) (type >>> 8);
        out[3] = (byte) type;
        putInt(out, 4, len);
        System.arraycopy(payload, off, out, HEADER_BYTES, len);
        CRC32C crc = new CRC32C();
        crc.update(out, 0, HEADER_BYTES + len);
        putInt(out, HEADER_BYTES + len, (int) crc.getValue());
        return out;
    }

    /** Decodes a buffer that holds exactly one frame. */
    public static Frame unwrap(byte[] frame) {
        return unwrap(frame, 0, frame.length, DEFAULT_MAX_PAYLOAD);
    }

    /** Decodes exactly one frame occupying {@code buf[off, off+len)}. */
    public static Frame unwrap(byte[] buf, int off, int len, int maxPayload) {
        if (len < OVERHEAD) {
            throw new CodecException("truncated frame: " + len + " bytes, at least " + OVERHEAD + " needed");
        }
        int payloadLen = checkHeader(buf, off, maxPayload);
        if (len != OVERHEAD + payloadLen) {
            throw new CodecException(len < OVERHEAD + payloadLen
                    ? "truncated frame: payload of " + payloadLen + " bytes, only " + (len - OVERHEAD) + " present"
                    : (len - OVERHEAD - payloadLen) + " bytes after the frame");
        }
        checkCrc(buf, off, payloadLen);
        byte[] payload = new byte[payloadLen];
        System.arraycopy(buf, off + HEADER_BYTES, payload, 0, payloadLen);
        return new Frame(((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF), payload);
    }

    /**
     * Checks magic, version and length of the header at {@code buf[off..off+8)}.
     *
     * @return the payload length
     */
    public static int checkHeader(byte[] buf, int off, int maxPayload) {
        int magic = buf[off] & 0xFF;
        if (magic != MAGIC) {
            throw new CodecException(String.format("bad frame magic 0x%02x (expected 0x%02x): not a haseq frame", magic, MAGIC));
        }
        int version = buf[off + 1] & 0xFF;
        if (version != VERSION) {
            throw new CodecException("unsupported frame version " + version + " (this build reads " + VERSION + ")");
        }
        int payloadLen = getInt(buf, off + 4);
        if (payloadLen < 0 || payloadLen > maxPayload) {
            throw new CodecException("frame payload of " + Integer.toUnsignedString(payloadLen)
                    + " bytes exceeds the limit of " + maxPayload);
        }
        return payloadLen;
    }

    private static void checkCrc(byte[] buf, int off, int payloadLen) {
        CRC32C crc = new CRC32C();
        crc.update(buf, off, HEADER_BYTES + payloadLen);
        int expected = getInt(buf, off + HEADER_BYTES + payloadLen);
        if ((int) crc.getValue() != expected) {
            throw new CodecException(String.format("frame checksum mismatch (stored %08x, computed %08x): corrupt data",
                    expected, (int) crc.getValue()));
        }
    }

    public static void writeTo(OutputStream out, int type, byte[] payload) throws IOException {
        out.write(wrap(type, payload));
    }

    /**
     * Reads one frame from a stream.
     *
     * @return the frame, or {@code null} on a clean end of stream before its first byte
     * @throws CodecException on a truncated or corrupt frame or one over {@code maxPayload}
     */
    public static Frame readFrom(InputStream in, int maxPayload) throws IOException {
        byte[] header = new byte[HEADER_BYTES];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        readFully(in, header, 1, HEADER_BYTES - 1);
        int payloadLen = checkHeader(header, 0, maxPayload);
        byte[] whole = new byte[OVERHEAD + payloadLen];
        System.arraycopy(header, 0, whole, 0, HEADER_BYTES);
        readFully(in, whole, HEADER_BYTES, payloadLen + TRAILER_BYTES);
        return unwrap(whole, 0, whole.length, maxPayload);
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new CodecException("truncated frame: stream ended " + (len - done) + " bytes early",
                        new EOFException());
            }
            done += n;
        }
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
