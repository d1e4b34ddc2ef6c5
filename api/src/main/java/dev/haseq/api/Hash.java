package dev.haseq.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 digest. Immutable: the array is copied in and out.
 *
 * @param bytes exactly {@link #LENGTH} bytes
 */
public record Hash(byte[] bytes) implements Comparable<Hash> {
    public static final int LENGTH = 32;
    /** The all-zero hash: the previous hash of the genesis block, the state root of an empty state. */
    public static final Hash ZERO = new Hash(new byte[LENGTH]);
    private static final HexFormat HEX = HexFormat.of();

    public Hash {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash has " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Parses the 64-character hex form (an optional {@code 0x} prefix is accepted). */
    public static Hash ofHex(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (h.length() != LENGTH * 2) {
            throw new IllegalArgumentException("a hash is " + LENGTH * 2 + " hex digits, got " + h.length());
        }
        try {
            return new Hash(HEX.parseHex(h));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex hash: " + hex, e);
        }
    }

    /** SHA-256 over the concatenation of the given parts. */
    public static Hash sha256(byte[]... parts) {
        MessageDigest md = sha256Digest();
        for (byte[] p : parts) {
            md.update(p);
        }
        return new Hash(md.digest());
    }

    /** A fresh SHA-256 digest (every JDK ships one). */
    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Writes the raw bytes into {@code out} at {@code offset} without copying twice. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Hash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
