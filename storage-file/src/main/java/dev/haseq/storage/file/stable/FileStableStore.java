package dev.haseq.storage.file.stable;

import dev.haseq.api.codec.CodecException;
import dev.haseq.api.codec.Codecs;
import dev.haseq.api.storage.AtomicFiles;
import dev.haseq.api.storage.RaftLayout;
import dev.haseq.api.storage.StableStore;
import dev.haseq.api.storage.StorageException;
import dev.haseq.api.storage.TermAndVote;
import dev.haseq.storage.file.io.DurableFiles;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Term and vote in {@code <dir>/raft-stable}: one {@code Codecs.TERM_AND_VOTE} frame (with its
 * CRC32C). Every {@link #save} replaces the file atomically and durably before it returns (temp
 * file, fsync, rename, fsync of the directory), so after a crash the file holds the last returned
 * save or a later one, never a mix. A file that does not decode is a {@link StorageException} at
 * open: a silent reset to term 0 could let this node vote twice in a term. Thread-safe: saves and
 * loads are serialized by the instance's monitor.
 */
public final class FileStableStore implements StableStore {
    private final Path file;
    private TermAndVote current;
    private boolean closed;

    private FileStableStore(Path file, TermAndVote current) {
        this.file = file;
        this.current = current;
    }

    public static FileStableStore open(Path dir) {
        DurableFiles.createDirectories(dir);
        Path file = dir.resolve(RaftLayout.STABLE_FILE);
        // A leftover temp file is a save that never returned; the old value is the right one.
        DurableFiles.delete(file.resolveSibling(file.getFileName() + AtomicFiles.TEMP_SUFFIX));
        return new FileStableStore(file, read(file));
    }

    private static TermAndVote read(Path file) {
        Optional<byte[]> stored = AtomicFiles.read(file);
        if (stored.isEmpty()) {
            return TermAndVote.INITIAL;
        }
        byte[] bytes = stored.get();
        try {
            return Codecs.TERM_AND_VOTE.decode(bytes);
        } catch (CodecException e) {
            throw new StorageException("Raft stable state " + file + " (" + bytes.length + " bytes) is corrupt: "
                    + e.getMessage() + ". It holds the current term and vote; starting from term 0 could make this "
                    + "node vote twice. Restore the file from a backup, or wipe this node's Raft state and re-add it "
                    + "to the cluster as a new member", e);
        }
    }

    @Override
    public synchronized TermAndVote load() {
        checkOpen();
        return current;
    }

    @Override
    public synchronized void save(TermAndVote value) {
        checkOpen();
        AtomicFiles.replace(file, Codecs.TERM_AND_VOTE.encode(value));
        current = value;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("stable store " + file + " is closed");
        }
    }
}
