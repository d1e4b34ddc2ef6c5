package dev.haseq.api.storage;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots of the replicated state machine ({@code snapshots/*.snp}).
 *
 * <p>A snapshot is written through a {@link Writer}: stream the bytes, then {@link Writer#commit()}
 * publishes it atomically (it is durable and visible only after commit returns; a crash before
 * leaves nothing visible). Closing an uncommitted writer discards it. After a commit the store
 * keeps only the newest {@code raft.snap_count} snapshots.
 *
 * <p>{@link #openLatest()} returns the newest snapshot whose checksum verifies; a corrupt newest
 * one is skipped (and reported through {@link StorageEvents}) in favour of the previous one.
 * An open reader keeps working while newer snapshots are committed and old ones deleted.
 * Thread-safe.
 */
public interface SnapshotStore extends AutoCloseable {

    Writer create(SnapshotMeta meta);

    Optional<Reader> openLatest();

    /** Committed snapshots, newest first (not checksum-verified). */
    List<SnapshotMeta> list();

    @Override
    void close();

    /** A snapshot being written. Not thread-safe. */
    interface Writer extends Closeable {
        OutputStream stream();

        /** Makes the snapshot durable and visible; returns its meta with the final size. */
        SnapshotMeta commit();

        /** Discards the snapshot unless committed. */
        @Override
        void close();
    }

    /** An open, verified snapshot. Not thread-safe. */
    interface Reader extends Closeable {
        SnapshotMeta meta();

        InputStream stream();

        @Override
        void close();
    }
}
