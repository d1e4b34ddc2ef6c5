package dev.haseq.it.storage.file;

import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.it.storage.Damage;
import dev.haseq.it.storage.FileDamage;
import dev.haseq.it.storage.LogStoreConformance;
import dev.haseq.storage.file.FileLogStoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The log conformance suite against the {@code file} provider. The damage hooks read the segment
 * format independently of the implementation: a 20-byte header, then frames of
 * {@code 8-byte header (payload length at offset 4) + payload + 4-byte CRC}, then, in the newest
 * segment, possibly zeros up to the end of the file (preallocated space).
 */
class FileLogStoreConformanceTest extends LogStoreConformance {
    private static final int SEGMENT_HEADER = 20;

    @Override
    protected LogStoreProvider provider() {
        return new FileLogStoreProvider();
    }

    @Override
    protected LogStoreProvider smallSegmentsProvider() {
        return new FileLogStoreProvider(4096);
    }

    @Override
    protected List<String> smallSegmentsJvmFlags() {
        return List.of("-D" + FileLogStoreProvider.SEGMENT_BYTES_PROPERTY + "=16384");
    }

    @Override
    protected void damageLastEntry(Path dir, Damage damage) throws IOException {
        List<Path> segments = segments(dir);
        Path last = segments.getLast();
        List<long[]> records = records(last);
        long[] r = records.getLast();
        FileDamage.damageRange(last, r[0], r[1], damage);
    }

    @Override
    protected String damageEntryInMiddle(Path dir) throws IOException {
        Path first = segments(dir).getFirst();
        long[] r = records(first).getFirst();
        // A data byte: the CRC no longer matches, and valid records follow.
        FileDamage.flip(first, r[0] + 30, 1);
        return first.getFileName().toString();
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** [start, end) of every record in a segment. */
    static List<long[]> records(Path segment) {
        try {
            byte[] b = Files.readAllBytes(segment);
            List<long[]> out = new ArrayList<>();
            int pos = SEGMENT_HEADER;
            // A record starts with the non-zero envelope magic; zeros after the last record are
            // preallocated space.
            while (pos + 8 <= b.length && b[pos] != 0) {
                int len = 12 + ByteBuffer.wrap(b, pos + 4, 4).getInt();
                out.add(new long[] {pos, pos + len});
                pos += len;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
