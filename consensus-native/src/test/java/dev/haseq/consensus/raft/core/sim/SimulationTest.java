package dev.haseq.consensus.raft.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Runs seeded fault schedules through {@link Simulation}. {@code mvn verify} runs
 * {@code sim.schedules} (10,000 by default) schedules of the regular mix and
 * {@code sim.stallSchedules} (1,000 by default) of the snapshot-stall family ({@link SnapshotStall}),
 * with seeds {@code sim.firstSeed} onwards on {@code sim.threads} threads (1 by default; 0 = one
 * per core). A failure prints the seed and the one command that replays it ({@code -Dsim.seed=N},
 * plus {@code -Dsim.family=stall} for the stall family, which runs only {@link #replay}; add
 * {@code -Dsim.trace=true} for the event trace). {@code -Psim-long} runs a million schedules and
 * 100,000 stall schedules.
 */
class SimulationTest {
    private static final long SCHEDULES = Long.getLong("sim.schedules", 10_000);
    private static final long STALL_SCHEDULES = Long.getLong("sim.stallSchedules", 1_000);
    private static final long FIRST_SEED = Long.getLong("sim.firstSeed", 1);
    private static final int THREADS = Integer.getInteger("sim.threads", 1);

    /** Totals over many runs. */
    private static final class Totals {
        final AtomicLong events = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong terms = new AtomicLong();
        final AtomicLong crashes = new AtomicLong();
        final AtomicLong installs = new AtomicLong();
        final AtomicLong fiveNode = new AtomicLong();
        final AtomicLong writesRefused = new AtomicLong();
        final AtomicLong storeFailures = new AtomicLong();
        /** Highest share of its liveness bound a schedule used after the final heal, in percent. */
        final AtomicLong maxRecoveryPercent = new AtomicLong();

        void add(Simulation sim) {
            Simulation.Result r = sim.run();
            long recoveryPercent = 100 * sim.recoveryTicks() / Math.max(1, sim.recoveryBound());
            maxRecoveryPercent.accumulateAndGet(recoveryPercent, Math::max);
            events.addAndGet(r.events());
            acked.addAndGet(r.proposalsAcked());
            terms.addAndGet(r.leaderTerms());
            crashes.addAndGet(r.crashes());
            installs.addAndGet(r.snapshotsInstalled());
            fiveNode.addAndGet(r.nodes() == 5 ? 1 : 0);
            writesRefused.addAndGet(r.snapshotWritesRefused());
            storeFailures.addAndGet(r.snapshotStoreFailures());
        }
    }

    @Test
    void seededFaultSchedulesKeepEverySafetyPropertyAndRecover() throws InterruptedException {
        if (System.getProperty("sim.seed") != null) {
            return; // replaying one seed: see replay()
        }
        Totals totals = run(SCHEDULES, seed -> new Simulation(seed, false), "schedules");
        assertThat(totals.acked.get()).as("proposals acknowledged").isGreaterThan(SCHEDULES);
        assertThat(totals.installs.get()).as("snapshot installs exercised").isPositive();
        assertThat(totals.crashes.get()).as("crashes exercised").isPositive();
        assertThat(totals.terms.get()).as("leaders elected").isGreaterThanOrEqualTo(SCHEDULES);
    }

    /**
     * A follower that must receive a snapshot while the cluster's third node is down, under loss,
     * duplication, reordering and restarts in the middle of the transfer: the snapshot arrives and
     * a fresh proposal commits within a bound (see {@link SnapshotStall}).
     */
    @Test
    void restartedFollowerGetsTheSnapshotAndCommitsResumeWhileTheThirdNodeIsDown() throws InterruptedException {
        if (System.getProperty("sim.seed") != null || STALL_SCHEDULES == 0) {
            return;
        }
        Totals totals = run(STALL_SCHEDULES, seed -> Simulation.snapshotStall(seed, false), "snapshot-stall schedules");
        // Every schedule checks that its follower got a snapshot; some crash it after the last chunk,
        // so it restarts from the received snapshot instead of installing it from a Ready.
        assertThat(totals.installs.get()).as("snapshot installs").isGreaterThan(STALL_SCHEDULES / 2);
        assertThat(totals.crashes.get()).as("crashes").isGreaterThan(2 * STALL_SCHEDULES);
        assertThat(totals.acked.get()).as("proposals acknowledged").isGreaterThan(STALL_SCHEDULES);
        assertThat(totals.writesRefused.get()).as("chunks the driver could not write").isGreaterThan(STALL_SCHEDULES / 10);
        assertThat(totals.storeFailures.get()).as("snapshot store failures").isGreaterThan(STALL_SCHEDULES / 100);
    }

    /**
     * Stall schedules that failed before the fix in SnapshotSender (an answer repeating the
     * acknowledged offset sent the chunk in flight again, so copies piled up): in 90 the leader
     * flooded the bandwidth-limited link with copies of one chunk and nothing committed for 5,500
     * ticks after every fault had healed; 6589 reached 4,983 copies in flight.
     */
    @Test
    void snapshotStallSeedsThatOnceStalledCompleteTheTransfer() {
        for (long seed : new long[] {90, 6589}) {
            Simulation sim = Simulation.snapshotStall(seed, false);
            Simulation.Result r = sim.run();
            assertThat(sim.maxSnapshotRequestsInFlight()).as("chunks in flight, seed " + seed).isLessThanOrEqualTo(8);
            assertThat(r.proposalsAcked()).as("proposals acknowledged, seed " + seed).isPositive();
        }
    }

    private static Totals run(long schedules, LongFunction<Simulation> family, String what)
            throws InterruptedException {
        Totals totals = new Totals();
        long started = System.nanoTime();
        int threads = THREADS > 0 ? THREADS : Runtime.getRuntime().availableProcessors();
        if (threads == 1) {
            for (long seed = FIRST_SEED; seed < FIRST_SEED + schedules; seed++) {
                totals.add(family.apply(seed));
            }
        } else {
            runParallel(threads, schedules, family, totals);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("simulation: %d %s (%d with 5 nodes, the rest 3) on %d thread(s) in %d ms: %d events, "
                        + "%d proposals acknowledged, %d leader terms, %d crashes, %d snapshots installed; "
                        + "recovery used at most %d%% of its bound; driver faults while receiving snapshots: %d "
                        + "chunks it could not write, %d snapshot store failures%n", schedules, what,
                totals.fiveNode.get(), threads, millis, totals.events.get(), totals.acked.get(), totals.terms.get(),
                totals.crashes.get(), totals.installs.get(), totals.maxRecoveryPercent.get(),
                totals.writesRefused.get(), totals.storeFailures.get());
        return totals;
    }

    private static void runParallel(int threads, long schedules, LongFunction<Simulation> family, Totals totals)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long per = (schedules + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                long from = FIRST_SEED + t * per;
                long to = Math.min(FIRST_SEED + schedules, from + per);
                futures.add(pool.submit(() -> {
                    for (long seed = from; seed < to; seed++) {
                        totals.add(family.apply(seed));
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new AssertionError(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void replay() {
        String seed = System.getProperty("sim.seed");
        if (seed == null) {
            return;
        }
        boolean trace = Boolean.getBoolean("sim.trace");
        boolean stall = "stall".equals(System.getProperty("sim.family"));
        Simulation sim = stall ? Simulation.snapshotStall(Long.parseLong(seed), trace)
                : new Simulation(Long.parseLong(seed), trace);
        Simulation.Result r;
        try {
            r = sim.run();
        } finally {
            if (trace) {
                sim.traceLines().forEach(System.out::println);
            }
        }
        System.out.println((stall ? "snapshot-stall seed " : "seed ") + seed + " passed: " + r);
    }
}
