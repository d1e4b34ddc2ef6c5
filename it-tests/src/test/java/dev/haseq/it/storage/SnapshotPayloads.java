package dev.haseq.it.storage;

import dev.haseq.api.storage.SnapshotMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/** Snapshot payloads derived from (index, term), so a reader can verify what it got. */
public final class SnapshotPayloads {
    private SnapshotPayloads() {
    }

    /** A payload of {@code size} bytes for the snapshot at {@code meta}'s index and term. */
    public static byte[] payload(SnapshotMeta meta, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(meta.index() * 1_000_003L + meta.term()).nextBytes(b);
        return b;
    }

    /** A payload whose size (0 to 64 KiB) is itself derived from the meta. */
    public static byte[] payload(SnapshotMeta meta) {
        int size = new SplittableRandom(meta.index() * 31 + meta.term() * 7919).nextInt(64 * 1024 + 1);
        return payload(meta, size);
    }

    /** Writes {@code data} in uneven chunks, as a state machine streaming its state would. */
    public static void writeChunked(OutputStream out, byte[] data) {
        try {
            int pos = 0;
            int chunk = 1;
            while (pos < data.length) {
                int n = Math.min(chunk, data.length - pos);
                if (n == 1) {
                    out.write(data[pos]);
                } else {
                    out.write(data, pos, n);
                }
                pos += n;
                chunk = chunk * 3 + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
