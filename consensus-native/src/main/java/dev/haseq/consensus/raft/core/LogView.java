package dev.haseq.consensus.raft.core;

import dev.haseq.api.storage.LogEntry;
import java.util.List;

/**
 * The read-only view through which {@link RaftCore} reads entries it has handed to the driver for
 * persistence (the driver backs it with its {@code LogStore} plus a cache; the simulator with
 * memory). Entries the core has produced but the driver has not yet acknowledged through
 * {@link RaftCore#advance} are kept inside the core and never read through this view.
 *
 * <p>The view must reflect the driver's writes (append, truncate, compact) as soon as the driver
 * has made them; they need not be durable yet. Indexes follow {@code LogStore}: an empty log has
 * {@code lastIndex() == firstIndex() - 1}. Called only from the thread that drives the core.
 */
public interface LogView {

    long firstIndex();

    long lastIndex();

    /** Term of the entry at {@code index}, which is in {@code [firstIndex(), lastIndex()]}. */
    long term(long index);

    /**
     * Entries {@code [from, toInclusive]}, all within {@code [firstIndex(), lastIndex()]}, in order;
     * may stop early once their data add up to {@code maxBytes}, but returns at least one entry.
     */
    List<LogEntry> entries(long from, long toInclusive, long maxBytes);
}
