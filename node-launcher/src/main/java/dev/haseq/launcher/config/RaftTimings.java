package dev.haseq.launcher.config;

import java.time.Duration;

/**
 * The four Raft timing keys derived from the worst-case round-trip time between any two nodes,
 * by the operator guide's formulas ("Adapting for different RTT values"):
 * heartbeat_timeout = RTT_MAX × 4, election_timeout = heartbeat_timeout × 4,
 * leader_lease_timeout = heartbeat_timeout / 2, send_timeout = RTT_MAX × 3.
 */
public record RaftTimings(Duration rttMax, Duration heartbeatTimeout, Duration electionTimeout,
                          Duration leaderLeaseTimeout, Duration sendTimeout) {

    public RaftTimings {
        if (rttMax == null || heartbeatTimeout == null || electionTimeout == null || leaderLeaseTimeout == null
                || sendTimeout == null) {
            throw new IllegalArgumentException("RaftTimings fields must not be null; use RaftTimings.forRtt");
        }
    }

    /** @throws IllegalArgumentException if {@code rttMax} is not positive */
    public static RaftTimings forRtt(Duration rttMax) {
        if (rttMax == null || !rttMax.isPositive()) {
            throw new IllegalArgumentException("RTT_MAX must be positive, got " + rttMax);
        }
        Duration heartbeat = rttMax.multipliedBy(4);
        return new RaftTimings(rttMax, heartbeat, heartbeat.multipliedBy(4), heartbeat.dividedBy(2),
                rttMax.multipliedBy(3));
    }
}
