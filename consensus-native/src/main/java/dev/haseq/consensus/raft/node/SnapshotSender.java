package dev.haseq.consensus.raft.node;

import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import dev.haseq.consensus.raft.core.SnapshotChunk;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Answers the core's {@link Ready.SnapshotRead}s from the latest local snapshot. The whole-file
 * CRC32C the follower verifies is computed once per snapshot; a snapshot up to
 * {@link #CACHE_LIMIT} bytes is kept in memory while it is the latest, larger ones are re-read
 * from the store per chunk. Raft-loop thread only.
 */
final class SnapshotSender {
    /** Snapshots up to this size are served from memory. */
    static final long CACHE_LIMIT = 64L << 20;

    private final SnapshotStore store;
    private SnapshotMeta cachedMeta;
    private int cachedCrc;
    private byte[] cachedBytes;

    SnapshotSender(SnapshotStore store) {
        this.store = store;
    }

    void read(Ready.SnapshotRead r, RaftCore core) {
        try {
            Optional<SnapshotStore.Reader> latest = store.openLatest();
            if (latest.isEmpty()) {
                core.snapshotReadFailed(r.peer(), "no local snapshot to send");
                return;
            }
            try (SnapshotStore.Reader reader = latest.get()) {
                SnapshotMeta meta = reader.meta();
                if (!meta.equals(cachedMeta)) {
                    load(reader);
                    cachedMeta = meta;
                }
            }
            long size = cachedMeta.size();
            // A newer snapshot than the one asked for replaces it from the start.
            long offset = cachedMeta.index() == r.snapshotIndex() && cachedMeta.term() == r.snapshotTerm()
                    ? Math.min(r.offset(), size) : 0;
            int n = (int) Math.min(r.maxBytes(), size - offset);
            byte[] data;
            if (cachedBytes != null) {
                data = Arrays.copyOfRange(cachedBytes, (int) offset, (int) offset + n);
            } else {
                data = readRange(offset, n);
            }
            core.snapshotChunkRead(new SnapshotChunk(r.peer(), cachedMeta.index(), cachedMeta.term(), size, cachedCrc,
                    offset, data));
        } catch (IOException | RuntimeException e) {
            core.snapshotReadFailed(r.peer(), "reading the local snapshot failed: " + e);
        }
    }

    private void load(SnapshotStore.Reader reader) throws IOException {
        CRC32C crc = new CRC32C();
        SnapshotMeta meta = reader.meta();
        InputStream in = reader.stream();
        if (meta.size() >= 0 && meta.size() <= CACHE_LIMIT) {
            byte[] all = in.readAllBytes();
            if (all.length != meta.size()) {
                throw new IOException("snapshot " + meta.name() + " has " + all.length + " bytes, its meta says "
                        + meta.size());
            }
            crc.update(all);
            cachedBytes = all;
        } else {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
            cachedBytes = null;
        }
        cachedCrc = (int) crc.getValue();
    }

    private byte[] readRange(long offset, int n) throws IOException {
        try (SnapshotStore.Reader reader = store.openLatest().orElseThrow(() -> new IOException("snapshot vanished"))) {
            if (!reader.meta().equals(cachedMeta)) {
                throw new IOException("the latest snapshot changed while sending it");
            }
            InputStream in = reader.stream();
            in.skipNBytes(offset);
            return in.readNBytes(n);
        }
    }
}
