package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.StorageException;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Writes snapshot chunks a leader sends ({@link Ready.SnapshotWrite}) into the snapshot store and
 * reports every chunk to the core, which acknowledges to the leader only what was reported
 * written. Raft-loop thread only.
 *
 * <p>Per chunk, one of:
 * <ul>
 *   <li>written (not the last): {@link RaftCore#snapshotChunkWritten};</li>
 *   <li>the last one: size and CRC32C verified, then the snapshot committed (atomically, by the
 *       store) and {@code snapshotReceived(ok)}; or found corrupt, discarded and
 *       {@code snapshotReceived(not ok)}, so the leader resends it from the start;</li>
 *   <li>the chunk does not continue the partial snapshot held here (none, another snapshot, or
 *       fewer bytes than the chunk's offset, e.g. after a discard):
 *       {@link RaftCore#snapshotWriteFailed} with the bytes still held of that snapshot (0 if
 *       none), so the leader resends from there at once instead of streaming the rest into the
 *       void. Not a failure of this node.</li>
 * </ul>
 *
 * <p>Errors: a {@link StorageException} from the store ({@code create}, {@code commit}) or an
 * {@link IOException} writing a chunk is a storage failure: the partial snapshot is discarded,
 * nothing is reported to the core, and a {@link StorageException} naming the node, the snapshot
 * and the chunk is thrown, which stops the Raft loop (the node's fail-stop rule for storage
 * failures; a disk that cannot take a snapshot would otherwise have the leader resend it forever).
 * Any other exception from the store propagates as it is and stops the loop too.
 */
final class SnapshotReceiver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SnapshotReceiver.class.getName());

    private final NodeId self;
    private final SnapshotStore store;
    /** The partial snapshot, or null: its identity follows. */
    private SnapshotStore.Writer writer;
    private long index;
    private long term;
    private long total;
    private int checksum;
    private long written;
    private final CRC32C crc = new CRC32C();

    SnapshotReceiver(NodeId self, SnapshotStore store) {
        this.self = self;
        this.store = store;
    }

    /**
     * Writes {@code w} and reports it to {@code core} (see the class comment).
     *
     * @throws StorageException if the snapshot store fails; nothing was reported
     */
    void write(Ready.SnapshotWrite w, RaftCore core) {
        if (w.offset() == 0) {
            discard();
            start(w);
        } else if (!continues(w)) {
            long resume = holdsPrefixOf(w) ? written : 0;
            LOG.log(System.Logger.Level.WARNING, "{0}: snapshot chunk at offset {1} of {2} does not continue the "
                    + "partial snapshot held here ({3} bytes of {4}); the leader resends from offset {5}", self,
                    w.offset(), name(w), written, writer == null ? "none" : SnapshotMeta.of(index, term).name(),
                    resume);
            if (resume == 0) {
                discard();
            }
            core.snapshotWriteFailed(w, resume);
            return;
        }
        try {
            writer.stream().write(w.data());
        } catch (IOException e) {
            discard();
            throw new StorageException(self + ": cannot write bytes [" + w.offset() + ", "
                    + (w.offset() + w.data().length) + ") of snapshot " + name(w) + " received from the leader to "
                    + "the snapshot store: " + e.getMessage(), e);
        }
        crc.update(w.data());
        written += w.data().length;
        if (!w.last()) {
            core.snapshotChunkWritten(w);
            return;
        }
        boolean ok = written == w.totalSize() && (int) crc.getValue() == w.checksum();
        if (ok) {
            SnapshotStore.Writer done = writer;
            writer = null;
            try (done) {
                done.commit();
            } catch (StorageException e) {
                throw new StorageException(self + ": cannot commit snapshot " + name(w) + " received from the "
                        + "leader to the snapshot store: " + e.getMessage(), e);
            }
        } else {
            LOG.log(System.Logger.Level.WARNING, "{0}: received snapshot {1} is damaged ({2} of {3} bytes, "
                    + "crc {4} vs {5}); discarded, the leader will resend", self, name(w), written, w.totalSize(),
                    Integer.toHexString((int) crc.getValue()), Integer.toHexString(w.checksum()));
            discard();
        }
        core.snapshotReceived(w.snapshotIndex(), w.snapshotTerm(), ok);
    }

    private void start(Ready.SnapshotWrite w) {
        try {
            writer = store.create(SnapshotMeta.of(w.snapshotIndex(), w.snapshotTerm()));
        } catch (StorageException e) {
            throw new StorageException(self + ": cannot start receiving snapshot " + name(w)
                    + " from the leader: " + e.getMessage(), e);
        }
        index = w.snapshotIndex();
        term = w.snapshotTerm();
        total = w.totalSize();
        checksum = w.checksum();
        written = 0;
        crc.reset();
    }

    /** The partial snapshot held here is {@code w}'s, and ends before {@code w} starts. */
    private boolean holdsPrefixOf(Ready.SnapshotWrite w) {
        return writer != null && index == w.snapshotIndex() && term == w.snapshotTerm() && total == w.totalSize()
                && checksum == w.checksum() && written < w.offset();
    }

    private boolean continues(Ready.SnapshotWrite w) {
        return writer != null && index == w.snapshotIndex() && term == w.snapshotTerm() && total == w.totalSize()
                && checksum == w.checksum() && written == w.offset();
    }

    private static String name(Ready.SnapshotWrite w) {
        return SnapshotMeta.of(w.snapshotIndex(), w.snapshotTerm()).name();
    }

    private void discard() {
        if (writer != null) {
            SnapshotStore.Writer w = writer;
            writer = null;
            w.close();
        }
    }

    @Override
    public void close() {
        discard();
    }
}
