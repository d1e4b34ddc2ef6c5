package dev.haseq.api.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Atomic, durable replacement of a small file, reading it back, and the directory fsync that makes
 * a creation, rename or deletion survive power loss: the steps the small state files of every provider
 * (term and vote, the log's first index, the compaction marker, the cluster identity) are written
 * with, kept once so that each gets the same crash guarantee.
 *
 * <p>{@link #replace}: write {@code <target>.tmp}, fsync it, rename it over the target
 * ({@code ATOMIC_MOVE}), fsync the directory. After it returns the new content survives a crash;
 * a crash before leaves the old content (or no file), never a mix, plus at most a leftover
 * {@code <target>.tmp} that is safe to delete. A file system that cannot rename atomically is
 * refused, since it could not keep that promise.
 *
 * <p>Stateless and thread-safe, but two writers of the same target must not overlap (they share the
 * temp file). Every failure is a {@link StorageException} naming the file or directory.
 */
public final class AtomicFiles {
    /** Suffix of the temp file {@link #replace} writes before renaming. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content} atomically and durably (see the class comment). */
    public static void replace(Path target, byte[] content) {
        Path tmp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        Path dir = target.toAbsolutePath().getParent();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StorageException("cannot write " + target + ": the file system of " + dir + " cannot rename "
                    + "atomically, so a crash could leave the file half written; put haseq's data on one that can "
                    + "(ext4, xfs)", e);
        } catch (IOException e) {
            throw new StorageException("cannot write " + target + ": " + e.getMessage(), e);
        }
        fsyncDirectory(dir);
    }

    /**
     * The whole content of a small file (one that {@link #replace} writes), or empty if there is
     * none: the caller decides what a file that was never written means.
     */
    public static Optional<byte[]> read(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot fsync directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
