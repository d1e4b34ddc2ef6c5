package dev.haseq.storage.file.snapshot;

import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.io.DurableFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Streams a snapshot into a temp file in the snapshot directory (header first, payload buffered
 * and checksummed as it comes), and on {@link #commit} writes the trailer, forces the file and
 * hands it to the store to publish. Not thread-safe.
 */
final class SnapshotFileWriter implements SnapshotStore.Writer {
    private static final int BUFFER = 64 * 1024;

    /** What the store does to publish a finished temp file. */
    interface Publisher {
        void publish(Path temp, SnapshotMeta meta);
    }

    private final Path temp;
    private final SnapshotMeta meta;
    private final Publisher publisher;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private final Stream stream = new Stream();
    private long position;
    private long payloadLength;
    private boolean committed;
    private boolean closed;

    SnapshotFileWriter(Path temp, SnapshotMeta meta, Publisher publisher) {
        this.temp = temp;
        this.meta = meta;
        this.publisher = publisher;
        try {
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            byte[] header = SnapshotFormat.header(meta);
            DurableFiles.writeFully(channel, ByteBuffer.wrap(header), 0);
            position = header.length;
        } catch (IOException e) {
            DurableFiles.delete(temp);
            throw new StorageException("cannot start snapshot " + temp + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public SnapshotMeta commit() {
        if (closed || committed) {
            throw new IllegalStateException("snapshot " + meta.name() + " was already " + (committed ? "committed" : "closed"));
        }
        try {
            flush();
            DurableFiles.writeFully(channel, ByteBuffer.wrap(SnapshotFormat.trailer(payloadLength, (int) crc.getValue())),
                    position);
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            close();
            throw new StorageException("cannot write snapshot " + temp + ": " + e.getMessage(), e);
        }
        committed = true;
        closed = true;
        try {
            publisher.publish(temp, meta);
        } catch (RuntimeException e) {
            DurableFiles.delete(temp);
            throw e;
        }
        return new SnapshotMeta(meta.index(), meta.term(), payloadLength);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Discarding anyway.
        }
        DurableFiles.delete(temp);
    }

    private void flush() throws IOException {
        buffer.flip();
        int n = buffer.remaining();
        DurableFiles.writeFully(channel, buffer, position);
        position += n;
        buffer.clear();
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("snapshot " + meta.name() + " writer is " + (committed ? "committed" : "closed"));
        }
        crc.update(b, off, len);
        payloadLength += len;
        int done = 0;
        while (done < len) {
            int n = Math.min(len - done, buffer.remaining());
            buffer.put(b, off + done, n);
            done += n;
            if (!buffer.hasRemaining()) {
                flush();
            }
        }
    }

    private final class Stream extends OutputStream {
        private final byte[] one = new byte[1];

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b;
            SnapshotFileWriter.this.write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            SnapshotFileWriter.this.write(b, off, len);
        }
    }
}
