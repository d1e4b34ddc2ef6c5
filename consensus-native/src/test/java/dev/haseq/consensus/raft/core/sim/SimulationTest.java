package dev.haseq.consensus.raft.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Runs seeded fault schedules through {@link Simulation}. {@code mvn verify} runs
 * {@code sim.schedules} (default 10,000) schedules with seeds {@code sim.firstSeed ..}; a failure
 * prints the seed and the one command that replays it ({@code -Dsim.seed=N}, which runs only
 * {@link #replay} with tracing available through {@code -Dsim.trace=true}).
 * {@code -Dsim.schedules=1000000} (or {@code -Psim-long}) runs a million.
 */
class SimulationTest {
    private static final long SCHEDULES = Long.getLong("sim.schedules", 10_000);
    private static final long FIRST_SEED = Long.getLong("sim.firstSeed", 1);

    @Test
    void seededFaultSchedulesKeepEverySafetyPropertyAndRecover() {
        if (System.getProperty("sim.seed") != null) {
            return; // replaying one seed: see replay()
        }
        AtomicLong events = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong terms = new AtomicLong();
        AtomicLong crashes = new AtomicLong();
        AtomicLong installs = new AtomicLong();
        long fiveNode = 0;
        long started = System.nanoTime();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SCHEDULES; seed++) {
            Simulation.Result r = new Simulation(seed, false).run();
            events.addAndGet(r.events());
            acked.addAndGet(r.proposalsAcked());
            terms.addAndGet(r.leaderTerms());
            crashes.addAndGet(r.crashes());
            installs.addAndGet(r.snapshotsInstalled());
            fiveNode += r.nodes() == 5 ? 1 : 0;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("simulation: %d schedules (%d with 5 nodes, the rest 3) in %d ms: %d events, %d proposals "
                        + "acknowledged, %d leader terms, %d crashes, %d snapshots installed%n", SCHEDULES, fiveNode,
                millis, events.get(), acked.get(), terms.get(), crashes.get(), installs.get());
        assertThat(acked.get()).as("proposals acknowledged").isGreaterThan(SCHEDULES);
        assertThat(installs.get()).as("snapshot installs exercised").isPositive();
        assertThat(crashes.get()).as("crashes exercised").isPositive();
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
