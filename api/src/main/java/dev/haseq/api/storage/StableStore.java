package dev.haseq.api.storage;

/**
 * Raft's stable state: current term and vote ({@code raft-stable}). Every {@link #save} is durable
 * before it returns (atomic replace + fsync): a node must never vote twice in one term after a
 * crash. Thread-safe. A corrupt file is a {@link StorageException} at open, never a silent reset.
 */
public interface StableStore extends AutoCloseable {

    /** The last saved value, or {@link TermAndVote#INITIAL} for a new store. */
    TermAndVote load();

    void save(TermAndVote value);

    @Override
    void close();
}
