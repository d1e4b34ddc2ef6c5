package dev.haseq.consensus.raft.node;

import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot store that passes every call to another one: tests that gate or break one step
 * override just that step.
 */
class ForwardingSnapshotStore implements SnapshotStore {
    private final SnapshotStore store;

    ForwardingSnapshotStore(SnapshotStore store) {
        this.store = store;
    }

    @Override
    public Writer create(SnapshotMeta meta) {
        return store.create(meta);
    }

    @Override
    public Optional<Reader> openLatest() {
        return store.openLatest();
    }

    @Override
    public List<SnapshotMeta> list() {
        return store.list();
    }

    @Override
    public void close() {
        store.close();
    }

    /** A writer that passes every call to another one. */
    static class ForwardingWriter implements Writer {
        private final Writer writer;

        ForwardingWriter(Writer writer) {
            this.writer = writer;
        }

        @Override
        public OutputStream stream() {
            return writer.stream();
        }

        @Override
        public SnapshotMeta commit() {
            return writer.commit();
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
