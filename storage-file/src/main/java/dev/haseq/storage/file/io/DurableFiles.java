package dev.haseq.storage.file.io;

import dev.haseq.api.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file-system steps this provider's files are read and written with, beyond the atomic
 * replacement and directory fsync that {@link dev.haseq.api.storage.AtomicFiles} gives every
 * provider: positional reads and writes that loop until done, and deletion and directory creation
 * whose I/O errors become {@link StorageException}s naming the path. Stateless and thread-safe.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Writes every remaining byte of {@code buf} at {@code position}. */
    public static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /**
     * Reads exactly {@code buf.remaining()} bytes at {@code position}.
     *
     * @return false if the file ended first
     */
    public static boolean readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    /** Deletes {@code file} if present; an I/O error is a {@link StorageException} naming it. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StorageException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} (and parents) if missing. */
    public static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
