package dev.haseq.consensus.raft.transport;

import dev.haseq.api.NodeId;
import java.time.Instant;
import java.util.Optional;

/**
 * The transport's view of one peer.
 *
 * @param peer        the peer
 * @param connected   our outbound connection to it has completed its handshake
 * @param lastContact when the last frame from the peer arrived (by the transport's clock), empty if never
 * @param queued      messages waiting for the outbound connection
 * @param dropped     messages dropped because the queue was full, since start
 */
public record PeerLinkStatus(NodeId peer, boolean connected, Optional<Instant> lastContact, int queued, long dropped) {
}
