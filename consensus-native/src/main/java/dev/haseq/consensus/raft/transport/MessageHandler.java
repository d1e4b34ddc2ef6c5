package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;

/**
 * Receives the payloads peers send. Called on a transport I/O thread, in the order the peer sent
 * them; must not block (hand the payload to another thread's queue, see {@link #onReadComplete}). The payload array is the
 * handler's to keep.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(NodeId from, byte[] payload);

    /**
     * The read that delivered one or more {@link #onMessage} payloads is done (same I/O thread).
     * A handler may do a short piece of work for the whole batch here (the Raft driver runs a
     * turn of its loop when it is idle, see {@code RaftLoop}); while it runs, this I/O thread
     * neither reads nor writes, so it must stay short. Default: nothing.
     */
    default void onReadComplete() {
    }
}
