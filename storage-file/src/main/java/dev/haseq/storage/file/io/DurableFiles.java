package dev.haseq.storage.file.io;

import dev.haseq.api.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The few file-system steps every durable write here is built from: fsync of a directory (so a
 * created, renamed or deleted name survives power loss) and atomic replacement of a small file
 * (temp file, fsync, rename over the target, fsync the directory). Stateless and thread-safe.
 */
public final class DurableFiles {
    /** Suffix of the temp file {@link #replace} writes before renaming; leftovers are safe to delete. */
    public static final String TEMP_SUFFIX = ".tmp";

    private DurableFiles() {
    }

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot fsync directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code target} with {@code content} atomically and durably: after return the new
     * content survives a crash; a crash before leaves the old content (or no file) and at most a
     * leftover {@code target.tmp}.
     */
    public static void replace(Path target, byte[] content) {
        Path tmp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(content), 0);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageException("cannot write " + target + ": " + e.getMessage(), e);
        }
        fsyncDirectory(target.getParent());
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
