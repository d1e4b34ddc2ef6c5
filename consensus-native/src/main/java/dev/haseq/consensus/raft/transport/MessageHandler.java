package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;

/**
 * Receives the payloads peers send. Called on a transport I/O thread, in the order the peer sent
 * them; must not block (hand the payload to another thread's queue). The payload array is the
 * handler's to keep.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(NodeId from, byte[] payload);
}
