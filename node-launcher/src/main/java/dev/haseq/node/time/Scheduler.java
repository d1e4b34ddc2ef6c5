package dev.haseq.node.time;

import java.time.Duration;

/**
 * Runs tasks later, one at a time, in due order (tasks due at the same time run in submission
 * order). The node's timed logic (block production, commit-wait timeouts) goes through this, so
 * tests drive time by hand instead of sleeping. Thread-safe.
 */
public interface Scheduler {

    /** Runs {@code task} after {@code delay} (zero or negative: as soon as possible). */
    Cancellable schedule(Runnable task, Duration delay);

    /** Runs {@code task} as soon as possible, after tasks already due. */
    default void execute(Runnable task) {
        schedule(task, Duration.ZERO);
    }

    /** A scheduled task that can be withdrawn; cancelling a task that ran or is running does nothing. */
    interface Cancellable {
        void cancel();
    }
}
