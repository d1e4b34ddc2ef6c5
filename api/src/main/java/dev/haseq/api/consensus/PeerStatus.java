package dev.haseq.api.consensus;

import dev.haseq.api.PeerAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * What this node knows of one peer. Match index and replication health are tracked only by the
 * leader; on followers they are 0 / unknown.
 *
 * @param address     the peer
 * @param matchIndex  the highest log index known to be on the peer's disk
 * @param lastContact time since the last message received from the peer, empty if never
 * @param healthy     the leader's view: recent sends to the peer succeed
 */
public record PeerStatus(PeerAddress address, long matchIndex, Optional<Duration> lastContact, boolean healthy) {
}
