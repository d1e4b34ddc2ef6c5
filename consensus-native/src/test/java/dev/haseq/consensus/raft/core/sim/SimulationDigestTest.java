package dev.haseq.consensus.raft.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fingerprints of the simulator's behaviour, for refactorings of the test harness that must not
 * change it: with {@code -Dsim.digest=true} it runs {@code sim.digestSchedules} (1,000) regular-mix
 * seeds and {@code sim.digestStallSchedules} (500) snapshot-stall seeds with tracing on and prints,
 * per family, one SHA-256 over every seed's trace lines, its event-sequence hash and its result.
 * Compare the printed lines before and after a change. Skipped without the property.
 */
class SimulationDigestTest {
    private static final long SCHEDULES = Long.getLong("sim.digestSchedules", 1_000);
    private static final long STALL_SCHEDULES = Long.getLong("sim.digestStallSchedules", 500);

    @Test
    @EnabledIfSystemProperty(named = "sim.digest", matches = "true")
    void printsTheTraceDigestOfEachFamily() throws NoSuchAlgorithmException {
        String mix = digest(SCHEDULES, seed -> new Simulation(seed, true));
        String stall = digest(STALL_SCHEDULES, seed -> Simulation.snapshotStall(seed, true));
        System.out.println("simulation digest: regular mix seeds 1.." + SCHEDULES + " sha256=" + mix);
        System.out.println("simulation digest: snapshot stall seeds 1.." + STALL_SCHEDULES + " sha256=" + stall);
        assertThat(mix).isNotEqualTo(stall);
    }

    private static String digest(long schedules, LongFunction<Simulation> family) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long lines = 0;
        for (long seed = 1; seed <= schedules; seed++) {
            Simulation sim = family.apply(seed);
            Simulation.Result r = sim.run();
            for (String line : sim.traceLines()) {
                md.update(line.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            lines += sim.traceLines().size();
            md.update((sim.eventDigest() + " " + r + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(lines).as("trace lines").isPositive();
        System.out.println("simulation digest: " + schedules + " seeds, " + lines + " trace lines");
        return HexFormat.of().formatHex(md.digest());
    }
}
