package dev.haseq.api.codec;

import dev.haseq.api.Hash;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A bounds-checked big-endian reader over a byte range. Every read past the end throws
 * {@link CodecException}; lengths are checked against what remains before anything is allocated,
 * so a corrupt length cannot cause a huge allocation. Not thread-safe.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    private void need(int n, String what) {
        if (n < 0 || end - pos < n) {
            throw new CodecException("truncated: " + what + " needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    public int remaining() {
        return end - pos;
    }

    public int u8() {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    public boolean bool() {
        int v = u8();
        if (v > 1) {
            throw new CodecException("bad boolean byte " + v);
        }
        return v == 1;
    }

    public int u16() {
        need(2, "u16");
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public int i32() {
        need(4, "i32");
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long i64() {
        need(8, "i64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    public byte[] raw(int n) {
        need(n, "raw bytes");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** A length-prefixed byte string written by {@link ByteWriter#bytes}. */
    public byte[] bytes() {
        int n = i32();
        if (n < 0) {
            throw new CodecException("negative length " + n);
        }
        return raw(n);
    }

    public String string() {
        byte[] b = bytes();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new CodecException("string is not valid UTF-8", e);
        }
    }

    public Hash hash() {
        return new Hash(raw(Hash.LENGTH));
    }

    /** A count of items that follow, each at least {@code minItemBytes} long: rejects impossible counts. */
    public int count(int minItemBytes) {
        int n = i32();
        if (n < 0 || (long) n * Math.max(1, minItemBytes) > remaining()) {
            throw new CodecException("impossible item count " + n + " with " + remaining() + " bytes left");
        }
        return n;
    }

    /** Fails unless every byte was consumed: trailing bytes mean the input is not what we think. */
    public void expectEnd() {
        if (pos != end) {
            throw new CodecException((end - pos) + " unexpected trailing bytes");
        }
    }
}
