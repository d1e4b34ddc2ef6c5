package dev.haseq.it.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: every wait in the cluster and consensus tests ends, and says what it waited for when it fails. */
public final class Waits {
    public static final Duration POLL = Duration.ofMillis(50);

    private Waits() {
    }

    /** Polls {@code condition} until it holds; fails after {@code bound} with {@code what} and {@code state}. */
    public static void until(Duration bound, String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + bound.toSeconds() + "s waiting until " + what + "; "
                        + state.get());
            }
            sleep(POLL);
        }
    }

    public static void until(Duration bound, String what, BooleanSupplier condition) {
        until(bound, what, condition, () -> "");
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
