package dev.haseq.consensus.raft.core;

/**
 * Where a proposal was placed in the leader's log. It is committed once the driver sees an entry
 * with this index <em>and</em> this term among {@link Ready#committedEntries()}; if an entry with
 * this index but another term commits instead, the proposal was lost with a leadership change.
 */
public record Proposal(long index, long term) {
}
