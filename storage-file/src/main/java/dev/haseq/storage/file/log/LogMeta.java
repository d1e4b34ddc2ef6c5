package dev.haseq.storage.file.log;

import dev.haseq.api.storage.AtomicFiles;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.io.StampedHeader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The log's meta file, {@value #FILE_NAME}: the log's first index, written (atomically and
 * durably) by {@code compactPrefix}. Segments hold whole files of entries, so the first index
 * cannot be read from them alone: after compacting into the middle of a segment, or beyond the
 * last index (the log is then empty and continues at {@code upToIndex + 1}), this file is what
 * survives a restart. Absent means 1. Stateless.
 */
final class LogMeta {
    static final String FILE_NAME = "log-meta";
    private static final String MAGIC = "HQLM";

    private LogMeta() {
    }

    /** The recorded first index; empty when the log was never compacted. */
    static OptionalLong read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Optional<byte[]> stored = AtomicFiles.read(file);
        if (stored.isEmpty()) {
            return OptionalLong.empty();
        }
        byte[] bytes = stored.get();
        return switch (StampedHeader.decode(bytes, MAGIC)) {
            case StampedHeader.Valid v when bytes.length == StampedHeader.BYTES && v.value() >= 1 ->
                    OptionalLong.of(v.value());
            case StampedHeader.Valid v -> throw corrupt(file, bytes.length == StampedHeader.BYTES
                    ? "first index " + v.value() + " is below 1" : bytes.length + " bytes, " + StampedHeader.BYTES + " expected");
            case StampedHeader.Invalid i -> throw corrupt(file, i.reason());
        };
    }

    private static StorageException corrupt(Path file, String reason) {
        // It is replaced atomically, so damage here is not a crash artefact; guessing the first
        // index could resurrect compacted entries or hide live ones.
        return new StorageException("log meta file " + file + " is corrupt: " + reason + ". It records the log's first "
                + "index after compaction; restore it from a backup, or wipe this node's Raft state and let it "
                + "rejoin from a snapshot");
    }

    static void write(Path dir, long firstIndex) {
        AtomicFiles.replace(dir.resolve(FILE_NAME), StampedHeader.encode(MAGIC, firstIndex));
    }
}
