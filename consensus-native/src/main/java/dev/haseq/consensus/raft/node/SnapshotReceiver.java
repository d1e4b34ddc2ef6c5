package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Writes snapshot chunks a leader sends ({@link Ready.SnapshotWrite}) into the snapshot store and,
 * after the last one, verifies size and CRC32C, commits (or discards) the snapshot and reports
 * the outcome to the core. Raft-loop thread only.
 */
final class SnapshotReceiver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SnapshotReceiver.class.getName());

    private final NodeId self;
    private final SnapshotStore store;
    private SnapshotStore.Writer writer;
    private long index;
    private long term;
    private long written;
    private final CRC32C crc = new CRC32C();

    SnapshotReceiver(NodeId self, SnapshotStore store) {
        this.self = self;
        this.store = store;
    }

    void write(Ready.SnapshotWrite w, RaftCore core) {
        if (w.offset() == 0) {
            discard();
            writer = store.create(SnapshotMeta.of(w.snapshotIndex(), w.snapshotTerm()));
            index = w.snapshotIndex();
            term = w.snapshotTerm();
            written = 0;
            crc.reset();
        } else if (writer == null || w.snapshotIndex() != index || w.snapshotTerm() != term || w.offset() != written) {
            LOG.log(System.Logger.Level.WARNING, "{0}: snapshot chunk at offset {1} of {2} does not continue what "
                    + "was received ({3} bytes of {4}); restarting the transfer", self, w.offset(),
                    SnapshotMeta.of(w.snapshotIndex(), w.snapshotTerm()).name(), written,
                    writer == null ? "none" : SnapshotMeta.of(index, term).name());
            discard();
            core.snapshotReceived(w.snapshotIndex(), w.snapshotTerm(), false);
            return;
        }
        try {
            writer.stream().write(w.data());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, self + ": writing snapshot chunk failed: " + e, e);
            discard();
            core.snapshotReceived(w.snapshotIndex(), w.snapshotTerm(), false);
            return;
        }
        crc.update(w.data());
        written += w.data().length;
        if (w.last()) {
            boolean ok = written == w.totalSize() && (int) crc.getValue() == w.checksum();
            if (ok) {
                writer.commit();
                writer.close();
                writer = null;
            } else {
                LOG.log(System.Logger.Level.WARNING, "{0}: received snapshot {1} is damaged ({2} of {3} bytes, "
                        + "crc {4} vs {5}); discarded, the leader will resend", self,
                        SnapshotMeta.of(index, term).name(), written, w.totalSize(),
                        Integer.toHexString((int) crc.getValue()), Integer.toHexString(w.checksum()));
                discard();
            }
            core.snapshotReceived(w.snapshotIndex(), w.snapshotTerm(), ok);
        }
    }

    private void discard() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    @Override
    public void close() {
        discard();
    }
}
