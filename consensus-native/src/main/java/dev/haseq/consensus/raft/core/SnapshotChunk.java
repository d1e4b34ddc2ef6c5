package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import java.util.Objects;

/**
 * Snapshot bytes the driver read for the leader after a {@link Ready.SnapshotRead} request, handed
 * back with {@link RaftCore#snapshotChunkRead}. The driver reads its <em>latest</em> snapshot; if
 * that is newer than the one requested, it answers with the newer one from offset 0.
 *
 * @param peer          the follower the chunk is for (as in the request)
 * @param snapshotIndex the snapshot the bytes come from
 * @param snapshotTerm  its term
 * @param totalSize     the snapshot's total size in bytes
 * @param checksum      CRC32C of the whole snapshot
 * @param offset        where {@code data} starts
 * @param data          at most the requested number of bytes; the array is not copied
 */
public record SnapshotChunk(NodeId peer, long snapshotIndex, long snapshotTerm, long totalSize, int checksum,
                            long offset, byte[] data) {
    public SnapshotChunk {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(data, "data");
        if (offset < 0 || offset + data.length > totalSize) {
            throw new IllegalArgumentException("chunk [" + offset + ", " + (offset + data.length)
                    + ") is outside a snapshot of " + totalSize + " bytes");
        }
    }

    public boolean last() {
        return offset + data.length == totalSize;
    }
}
