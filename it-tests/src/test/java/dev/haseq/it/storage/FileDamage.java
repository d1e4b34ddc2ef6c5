package dev.haseq.it.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Byte-level damage for the corruption hooks of file-based providers. */
public final class FileDamage {
    private FileDamage() {
    }

    /** Inverts {@code count} bytes of {@code file} starting at {@code offset}. */
    public static void flip(Path file, long offset, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (offset < 0 || offset + count > ch.size()) {
                throw new IllegalArgumentException("cannot flip " + count + " bytes at " + offset + " of " + file
                        + " (" + ch.size() + " bytes)");
            }
            ByteBuffer b = ByteBuffer.allocate(count);
            ch.read(b, offset);
            for (int i = 0; i < count; i++) {
                b.put(i, (byte) ~b.get(i));
            }
            b.rewind();
            ch.write(b, offset);
        }
    }

    /** Cuts {@code file} to {@code size} bytes. */
    public static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    /** Applies {@code damage} to the byte range {@code [start, end)} of {@code file}: cut it at its middle, or flip a byte in it. */
    public static void damageRange(Path file, long start, long end, Damage damage) throws IOException {
        if (end - start < 2) {
            throw new IllegalArgumentException("range too small to damage: [" + start + ", " + end + ") of " + file);
        }
        long middle = start + (end - start) / 2;
        switch (damage) {
            case TRUNCATED -> truncate(file, middle);
            case BYTES_FLIPPED -> flip(file, middle, 1);
        }
    }
}
