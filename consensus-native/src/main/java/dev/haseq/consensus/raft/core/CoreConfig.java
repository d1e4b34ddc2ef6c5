package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.RaftSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link RaftCore} needs to know, with every time span counted in ticks (the driver
 * calls {@link RaftCore#tick()} once per tick; see {@link #recommendedTick}). Build one from the
 * operator's settings with {@link #from}.
 *
 * @param self                      this member
 * @param peers                     the other voting members (static membership)
 * @param heartbeatTimeoutTicks     {@code raft.heartbeat_timeout}: a follower that hears nothing from a
 *                                  leader for a random time in [this, 2 x this) starts a pre-vote; a
 *                                  follower that heard from a leader within this refuses (pre-)votes
 * @param heartbeatIntervalTicks    how often the leader sends heartbeats (heartbeat timeout / 10)
 * @param electionTimeoutTicks      {@code raft.election_timeout}: a (pre-)candidate that has not won
 *                                  retries after a random time in [this, 2 x this); also bounds a
 *                                  leadership transfer
 * @param leaseTimeoutTicks         {@code raft.leader_lease_timeout}: a leader that has not heard from a
 *                                  quorum within this steps down; bounds {@link RaftCore#hasValidLease()}
 * @param sendTimeoutTicks          {@code raft.send_timeout}: an unacknowledged message counts as failed
 *                                  after this and is retried (with backoff while failures repeat)
 * @param maxEntriesBytesPerMessage cap on entry data in one append (at least one entry is always sent)
 * @param maxInflightMessages       appends in flight to one follower before the leader waits for acks
 * @param snapshotChunkBytes        bytes per InstallSnapshot chunk
 * @param trailingLogs              {@code raft.trailing_logs}: entries kept before a local snapshot when
 *                                  the log is compacted
 * @param snapshotThreshold         {@code raft.snapshot_threshold}: the driver snapshots once this many
 *                                  entries were applied since the last snapshot
 * @param maxCommittedBytesPerReady cap on committed entry data in one {@link Ready}
 */
public record CoreConfig(NodeId self, List<NodeId> peers, int heartbeatTimeoutTicks, int heartbeatIntervalTicks,
                         int electionTimeoutTicks, int leaseTimeoutTicks, int sendTimeoutTicks,
                         long maxEntriesBytesPerMessage, int maxInflightMessages, int snapshotChunkBytes,
                         long trailingLogs, long snapshotThreshold, long maxCommittedBytesPerReady) {

    public static final long DEFAULT_MAX_ENTRIES_BYTES_PER_MESSAGE = 1 << 20;
    public static final int DEFAULT_MAX_INFLIGHT_MESSAGES = 64;
    public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 1 << 20;
    public static final long DEFAULT_MAX_COMMITTED_BYTES_PER_READY = 16 << 20;
    /** The tick is heartbeat_timeout / this, clamped to [{@link #MIN_TICK}, {@link #MAX_TICK}]. */
    public static final int TICKS_PER_HEARTBEAT_TIMEOUT = 20;
    public static final Duration MIN_TICK = Duration.ofMillis(1);
    public static final Duration MAX_TICK = Duration.ofMillis(20);

    public CoreConfig {
        Objects.requireNonNull(self, "self");
        peers = List.copyOf(peers);
        if (new HashSet<>(peers).size() != peers.size()) {
            throw new IllegalArgumentException("peers list a member twice: " + peers);
        }
        if (peers.contains(self)) {
            throw new IllegalArgumentException("peers must not contain this node (" + self + ")");
        }
        positive(heartbeatTimeoutTicks, "heartbeatTimeoutTicks");
        positive(heartbeatIntervalTicks, "heartbeatIntervalTicks");
        positive(electionTimeoutTicks, "electionTimeoutTicks");
        positive(leaseTimeoutTicks, "leaseTimeoutTicks");
        positive(sendTimeoutTicks, "sendTimeoutTicks");
        positive(maxEntriesBytesPerMessage, "maxEntriesBytesPerMessage");
        positive(maxInflightMessages, "maxInflightMessages");
        positive(snapshotChunkBytes, "snapshotChunkBytes");
        positive(snapshotThreshold, "snapshotThreshold");
        positive(maxCommittedBytesPerReady, "maxCommittedBytesPerReady");
        if (trailingLogs < 0) {
            throw new IllegalArgumentException("trailingLogs must be >= 0, got " + trailingLogs);
        }
        if (heartbeatIntervalTicks >= heartbeatTimeoutTicks) {
            throw new IllegalArgumentException("the heartbeat interval (" + heartbeatIntervalTicks
                    + " ticks) must be shorter than the heartbeat timeout (" + heartbeatTimeoutTicks
                    + " ticks), or followers time out between heartbeats; use a shorter tick");
        }
        if (electionTimeoutTicks < heartbeatTimeoutTicks) {
            throw new IllegalArgumentException("the election timeout (" + electionTimeoutTicks
                    + " ticks) must be >= the heartbeat timeout (" + heartbeatTimeoutTicks + " ticks)");
        }
        if (leaseTimeoutTicks >= electionTimeoutTicks) {
            throw new IllegalArgumentException("the leader lease timeout (" + leaseTimeoutTicks
                    + " ticks) must be < the election timeout (" + electionTimeoutTicks + " ticks)");
        }
    }

    /** Every voting member, this one first. */
    public List<NodeId> voters() {
        List<NodeId> all = new ArrayList<>(peers.size() + 1);
        all.add(self);
        all.addAll(peers);
        return all;
    }

    /** Votes (or acknowledgements) needed: a majority of the voters. */
    public int quorum() {
        return (peers.size() + 1) / 2 + 1;
    }

    /**
     * The tick the driver should use for these settings: heartbeat_timeout / 20, clamped to
     * [1 ms, 20 ms]. Fine enough that the leader's heartbeat interval (heartbeat_timeout / 10) is
     * about two ticks and the randomized timeouts have twenty steps of resolution; coarse enough
     * that ticking costs nothing.
     */
    public static Duration recommendedTick(RaftSettings settings) {
        Duration t = settings.heartbeatTimeout().dividedBy(TICKS_PER_HEARTBEAT_TIMEOUT);
        if (t.compareTo(MIN_TICK) < 0) {
            return MIN_TICK;
        }
        return t.compareTo(MAX_TICK) > 0 ? MAX_TICK : t;
    }

    /** The operator's settings in ticks of {@code tick}, with this module's defaults for the rest. */
    public static CoreConfig from(RaftSettings settings, Duration tick) {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("the tick must be positive, got " + tick);
        }
        int heartbeat = Math.max(2, ticks(settings.heartbeatTimeout(), tick));
        int interval = Math.max(1, heartbeat / 10);
        int election = Math.max(heartbeat, ticks(settings.electionTimeout(), tick));
        int lease = Math.min(election - 1, Math.max(1, ticks(settings.leaderLeaseTimeout(), tick)));
        int send = Math.max(1, ticks(settings.sendTimeout(), tick));
        List<NodeId> peers = settings.peers().stream().map(PeerAddress::id).toList();
        return new CoreConfig(settings.nodeId(), peers, heartbeat, interval, Math.max(election, lease + 1), lease,
                send, DEFAULT_MAX_ENTRIES_BYTES_PER_MESSAGE, DEFAULT_MAX_INFLIGHT_MESSAGES,
                DEFAULT_SNAPSHOT_CHUNK_BYTES, settings.trailingLogs(), settings.snapshotThreshold(),
                DEFAULT_MAX_COMMITTED_BYTES_PER_READY);
    }

    private static int ticks(Duration d, Duration tick) {
        long n = Math.round((double) d.toNanos() / tick.toNanos());
        return (int) Math.min(Integer.MAX_VALUE / 4, Math.max(1, n));
    }

    private static void positive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + v);
        }
    }
}
