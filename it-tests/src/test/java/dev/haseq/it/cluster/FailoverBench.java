package dev.haseq.it.cluster;

import dev.haseq.it.cluster.NodeClient.BlockInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Failover benchmark on real processes (docs/operations.md, "Failover numbers"): a 3-node cluster
 * on 127.0.0.1 with {@link LocalCluster}'s settings (block time 100ms; heartbeat 200ms, election
 * 800ms, lease 100ms, send 150ms: the guide's formulas for RTT_MAX 50ms), then
 * <ul>
 *   <li>{@code runs} times: SIGKILL the leader; <b>failover</b> = timestamp of the first block a new
 *       leader produced − the moment of the kill (same machine, same wall clock); the node is then
 *       restarted and caught up before the next run;</li>
 *   <li>{@code runs} times: SIGTERM the leader; <b>block gap</b> = timestamp of the new leader's first
 *       block − timestamp of the old leader's last block, and <b>stop time</b> = SIGTERM → process
 *       exit (which must be 0).</li>
 * </ul>
 * Prints min / median / max of each. Run with
 * {@code scripts/with-jdk mvn -B -q -pl it-tests -am -Pfailover-bench -DskipTests verify [-Dfailover.runs=10]}.
 */
public final class FailoverBench {
    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("haseq-failover-bench-");
        List<Double> failover = new ArrayList<>();
        List<Double> gap = new ArrayList<>();
        List<Double> stop = new ArrayList<>();
        boolean ok = false;
        try (LocalCluster cluster = LocalCluster.create(dir, 3)) {
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(120));
            cluster.awaitHeight(10, Duration.ofSeconds(60));
            for (int i = 1; i <= runs; i++) {
                failover.add(sigkill(cluster));
                System.out.printf("SIGKILL run %2d: failover %.0f ms%n", i, failover.getLast());
            }
            for (int i = 1; i <= runs; i++) {
                double[] r = sigterm(cluster);
                gap.add(r[0]);
                stop.add(r[1]);
                System.out.printf("SIGTERM run %2d: block gap %.0f ms, stop %.0f ms%n", i, r[0], r[1]);
            }
            ok = true;
        } finally {
            if (ok) {
                deleteTree(dir);
            } else {
                System.out.println("failed: the nodes' homes and logs are kept in " + dir);
            }
        }
        System.out.println();
        System.out.printf("3 nodes on 127.0.0.1, %d cores, block_time %s, heartbeat %s, election 800ms, lease 100ms%n",
                Runtime.getRuntime().availableProcessors(), LocalCluster.BLOCK_TIME, LocalCluster.HEARTBEAT);
        summary("SIGKILL leader -> first block by the new leader", failover);
        summary("SIGTERM leader: gap between the old and new leader's blocks", gap);
        summary("SIGTERM leader: SIGTERM -> process exit (0)", stop);
    }

    /** Kills the leader; returns ms from the kill to the first block of a new leader. */
    private static double sigkill(LocalCluster cluster) throws Exception {
        NodeProcess old = cluster.awaitSteadyLeader(5, Duration.ofSeconds(60));
        long before = old.api.height();
        Instant killedAt = Instant.now();
        old.kill();
        BlockInfo first = firstBlockNotBy(cluster, old.id, before);
        double ms = (first.timestampNanos() - toNanos(killedAt)) / 1e6;
        rejoin(cluster, old);
        return ms;
    }

    /** Stops the leader gracefully; returns {block gap ms, stop ms}. */
    private static double[] sigterm(LocalCluster cluster) throws Exception {
        NodeProcess old = cluster.awaitSteadyLeader(5, Duration.ofSeconds(60));
        long before = old.api.height();
        long t0 = System.nanoTime();
        old.terminate();
        int exit = old.awaitExit(Duration.ofSeconds(60));
        double stopMs = (System.nanoTime() - t0) / 1e6;
        if (exit != 0) {
            throw new AssertionError(old.id + " exited " + exit + " after SIGTERM:\n" + old.logTail(30));
        }
        BlockInfo first = firstBlockNotBy(cluster, old.id, before);
        BlockInfo last = cluster.alive().get(0).api.blocks(first.height() - 1, first.height() - 1).get(0);
        rejoin(cluster, old);
        return new double[] {(first.timestampNanos() - last.timestampNanos()) / 1e6, stopMs};
    }

    /** The first block above {@code above} proposed by someone other than {@code old}. */
    private static BlockInfo firstBlockNotBy(LocalCluster cluster, String old, long above) throws Exception {
        BlockInfo[] found = new BlockInfo[1];
        Waits.until(Duration.ofSeconds(60), "a block by a node other than " + old, () -> {
            try {
                NodeProcess n = cluster.alive().get(0);
                long h = n.api.height();
                if (h <= above) {
                    return false;
                }
                for (BlockInfo b : n.api.blocks(above + 1, h)) {
                    if (!b.proposer().equals(old)) {
                        found[0] = b;
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        }, cluster::describe);
        return found[0];
    }

    private static void rejoin(LocalCluster cluster, NodeProcess node) {
        node.start();
        long h = cluster.maxHeight();
        cluster.awaitHeight(h, Duration.ofSeconds(90), List.of(node));
    }

    private static long toNanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static void summary(String what, List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        System.out.printf("%-62s n=%d  min %6.0f ms  median %6.0f ms  max %6.0f ms%n", what, n, sorted.get(0), median,
                sorted.get(n - 1));
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
