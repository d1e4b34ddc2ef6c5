package dev.haseq.consensus.raft.node;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.consensus.raft.core.LogView;
import java.util.List;

/** The core's read-only window on the {@link LogStore}; the driver's writes show through at once. */
final class StoreLogView implements LogView {
    private final LogStore log;

    StoreLogView(LogStore log) {
        this.log = log;
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long term(long index) {
        return log.term(index);
    }

    @Override
    public List<LogEntry> entries(long from, long toInclusive, long maxBytes) {
        return log.read(from, toInclusive, maxBytes);
    }
}
