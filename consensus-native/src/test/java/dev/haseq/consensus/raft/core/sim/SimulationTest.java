package dev.haseq.consensus.raft.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Runs seeded fault schedules through {@link Simulation}. {@code mvn verify} runs
 * {@code sim.schedules} (10,000 by default) schedules with seeds {@code sim.firstSeed} onwards on
 * {@code sim.threads} threads (1 by default; 0 = one per core). A failure prints the seed and the
 * one command that replays it ({@code -Dsim.seed=N}, which runs only {@link #replay}; add
 * {@code -Dsim.trace=true} for the event trace). {@code -Psim-long} runs a million schedules.
 */
class SimulationTest {
    private static final long SCHEDULES = Long.getLong("sim.schedules", 10_000);
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

        void add(Simulation.Result r) {
            events.addAndGet(r.events());
            acked.addAndGet(r.proposalsAcked());
            terms.addAndGet(r.leaderTerms());
            crashes.addAndGet(r.crashes());
            installs.addAndGet(r.snapshotsInstalled());
            fiveNode.addAndGet(r.nodes() == 5 ? 1 : 0);
        }
    }

    @Test
    void seededFaultSchedulesKeepEverySafetyPropertyAndRecover() throws InterruptedException {
        if (System.getProperty("sim.seed") != null) {
            return; // replaying one seed: see replay()
        }
        Totals totals = new Totals();
        long started = System.nanoTime();
        int threads = THREADS > 0 ? THREADS : Runtime.getRuntime().availableProcessors();
        if (threads == 1) {
            for (long seed = FIRST_SEED; seed < FIRST_SEED + SCHEDULES; seed++) {
                totals.add(new Simulation(seed, false).run());
            }
        } else {
            runParallel(threads, totals);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("simulation: %d schedules (%d with 5 nodes, the rest 3) on %d thread(s) in %d ms: %d events, "
                        + "%d proposals acknowledged, %d leader terms, %d crashes, %d snapshots installed%n", SCHEDULES,
                totals.fiveNode.get(), threads, millis, totals.events.get(), totals.acked.get(), totals.terms.get(),
                totals.crashes.get(), totals.installs.get());
        assertThat(totals.acked.get()).as("proposals acknowledged").isGreaterThan(SCHEDULES);
        assertThat(totals.installs.get()).as("snapshot installs exercised").isPositive();
        assertThat(totals.crashes.get()).as("crashes exercised").isPositive();
        assertThat(totals.terms.get()).as("leaders elected").isGreaterThanOrEqualTo(SCHEDULES);
    }

    private static void runParallel(int threads, Totals totals) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long per = (SCHEDULES + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                long from = FIRST_SEED + t * per;
                long to = Math.min(FIRST_SEED + SCHEDULES, from + per);
                futures.add(pool.submit(() -> {
                    for (long seed = from; seed < to; seed++) {
                        totals.add(new Simulation(seed, false).run());
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
        Simulation sim = new Simulation(Long.parseLong(seed), trace);
        Simulation.Result r;
        try {
            r = sim.run();
        } finally {
            if (trace) {
                sim.traceLines().forEach(System.out::println);
            }
        }
        System.out.println("seed " + seed + " passed: " + r);
    }
}
