package dev.haseq.launcher.cli;

import dev.haseq.api.config.Durations;
import dev.haseq.launcher.config.RaftTimings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code haseq tune --rtt-max 23ms}: the Raft timing keys for a measured RTT, as YAML to paste. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Print the four Raft timing keys for a measured worst-case round-trip time (RTT_MAX), "
                + "by the operator guide's formulas, as YAML to paste into every node's evnode.yaml.",
            "Measure RTT_MAX from every node to every other node, e.g. ping -c 20 <peer-ip> | tail -1, "
                + "and take the largest average."})
final class TuneCommand implements Callable<Integer> {
    /** Above this, nodes are probably not in one region (the guide: 5-30ms within a region). */
    static final Duration SAME_REGION_RTT = Duration.ofMillis(30);

    @Spec
    private CommandSpec spec;

    @Option(names = "--rtt-max", required = true, paramLabel = "<duration>",
            description = "Worst-case average RTT between any two nodes, e.g. 23ms.")
    private String rttMax;

    @Override
    public Integer call() {
        Duration rtt;
        try {
            rtt = Durations.parse(rttMax);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--rtt-max: " + e.getMessage());
        }
        if (!rtt.isPositive()) {
            throw new ParameterException(spec.commandLine(), "--rtt-max must be positive, got '" + rttMax + "'");
        }
        RaftTimings t = RaftTimings.forRtt(rtt);
        PrintWriter out = spec.commandLine().getOut();
        String r = Durations.format(rtt);
        out.println("# Raft timings for RTT_MAX = " + r + ", by the operator guide's formulas.");
        out.println("# Paste into the raft section of every node's evnode.yaml.");
        out.println("raft:");
        line(out, "heartbeat_timeout", t.heartbeatTimeout(), "RTT_MAX x 4");
        line(out, "election_timeout", t.electionTimeout(), "heartbeat_timeout x 4");
        line(out, "leader_lease_timeout", t.leaderLeaseTimeout(), "heartbeat_timeout / 2");
        line(out, "send_timeout", t.sendTimeout(), "RTT_MAX x 3");
        out.println("# send_timeout: the guide's rule is 2-3 x RTT_MAX (" + Durations.format(rtt.multipliedBy(2))
                + "-" + Durations.format(rtt.multipliedBy(3)) + "); this prints the 3 x formula. The guide's "
                + "recommended production example (RTT_MAX 23ms) uses 50ms.");
        if (rtt.compareTo(SAME_REGION_RTT) > 0) {
            out.println("# note: RTT_MAX above " + Durations.format(SAME_REGION_RTT) + " suggests nodes in different "
                    + "regions; the guide recommends one region across availability zones (5-30ms) and expects "
                    + "slower failover otherwise.");
        }
        out.flush();
        return 0;
    }

    private static void line(PrintWriter out, String key, Duration value, String formula) {
        String kv = "  " + key + ": \"" + Durations.format(value) + "\"";
        out.println(String.format("%-36s # %s", kv, formula));
    }
}
