package dev.haseq.storage.file.snapshot;

import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.storage.file.io.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * An open, verified snapshot file. It holds its channel open, so the file stays readable after
 * the store deletes it (retention, or a newer snapshot): POSIX keeps an unlinked file's data
 * until its last descriptor closes. The stream checks the checksum again as it reads, so a
 * change after verification surfaces as an {@link IOException} rather than wrong state.
 * Not thread-safe.
 */
final class SnapshotFileReader implements SnapshotStore.Reader {
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final SnapshotMeta meta;
    private final int expectedCrc;
    private final Stream stream;

    private SnapshotFileReader(Path file, FileChannel channel, SnapshotMeta meta, int expectedCrc) {
        this.file = file;
        this.channel = channel;
        this.meta = meta;
        this.expectedCrc = expectedCrc;
        this.stream = new Stream();
    }

    /** Thrown by {@link #open} when the file is not an intact snapshot; the message says why. */
    static final class CorruptSnapshotException extends Exception {
        CorruptSnapshotException(String message) {
            super(message);
        }
    }

    /**
     * Opens {@code file} (named {@code named}) and verifies header, trailer and payload checksum.
     *
     * @throws CorruptSnapshotException when it is damaged or incomplete
     * @throws IOException when it cannot be read (e.g. it was deleted meanwhile)
     */
    static SnapshotFileReader open(Path file, SnapshotMeta named) throws IOException, CorruptSnapshotException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size < SnapshotFormat.HEADER_BYTES + SnapshotFormat.TRAILER_BYTES) {
                throw new CorruptSnapshotException("file of " + size + " bytes is shorter than header and trailer");
            }
            byte[] header = new byte[SnapshotFormat.HEADER_BYTES];
            DurableFiles.readFully(ch, ByteBuffer.wrap(header), 0);
            String problem = SnapshotFormat.checkHeader(header, named);
            if (problem != null) {
                throw new CorruptSnapshotException(problem);
            }
            byte[] trailerBytes = new byte[SnapshotFormat.TRAILER_BYTES];
            DurableFiles.readFully(ch, ByteBuffer.wrap(trailerBytes), size - SnapshotFormat.TRAILER_BYTES);
            SnapshotFormat.Trailer trailer;
            try {
                trailer = SnapshotFormat.readTrailer(trailerBytes);
            } catch (IllegalArgumentException e) {
                throw new CorruptSnapshotException(e.getMessage());
            }
            long payload = size - SnapshotFormat.HEADER_BYTES - SnapshotFormat.TRAILER_BYTES;
            if (trailer.payloadLength() != payload) {
                throw new CorruptSnapshotException("trailer says " + trailer.payloadLength() + " payload bytes, the file has "
                        + payload);
            }
            int actual = payloadCrc(ch, payload);
            if (actual != trailer.payloadCrc()) {
                throw new CorruptSnapshotException(String.format("payload checksum mismatch (stored %08x, computed %08x)",
                        trailer.payloadCrc(), actual));
            }
            return new SnapshotFileReader(file, ch, new SnapshotMeta(named.index(), named.term(), payload),
                    trailer.payloadCrc());
        } catch (IOException | CorruptSnapshotException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static int payloadCrc(FileChannel ch, long payload) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = SnapshotFormat.HEADER_BYTES;
        long end = pos + payload;
        while (pos < end) {
            buf.clear().limit((int) Math.min(BUFFER, end - pos));
            if (!DurableFiles.readFully(ch, buf, pos)) {
                throw new IOException("file shrank while being verified");
            }
            buf.flip();
            crc.update(buf);
            pos += buf.limit();
        }
        return (int) crc.getValue();
    }

    @Override
    public SnapshotMeta meta() {
        return meta;
    }

    @Override
    public InputStream stream() {
        return stream;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose.
        }
    }

    /** Buffered positional reads of the payload, re-checking the checksum at the end. */
    private final class Stream extends InputStream {
        private final CRC32C crc = new CRC32C();
        private final long end = SnapshotFormat.HEADER_BYTES + meta.size();
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).limit(0);
        private long pos = SnapshotFormat.HEADER_BYTES;

        /** Makes bytes available in the buffer; false at the end of the payload. */
        private boolean fill() throws IOException {
            if (buffer.hasRemaining()) {
                return true;
            }
            if (pos >= end) {
                return false;
            }
            buffer.clear().limit((int) Math.min(BUFFER, end - pos));
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new IOException("snapshot " + file + " ended early at offset " + pos);
            }
            buffer.flip();
            crc.update(buffer.array(), 0, n);
            pos += n;
            if (pos == end && (int) crc.getValue() != expectedCrc) {
                throw new IOException("snapshot " + file + " changed after it was verified: payload checksum mismatch");
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, buffer.remaining() + end - pos);
        }
    }
}
