package dev.haseq.node.testing;

import dev.haseq.api.testing.ManualClock;
import dev.haseq.node.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} driven by the test: tasks run only inside {@link #runDue()} or
 * {@link #advance}, on the calling thread, in due order. Like a real scheduler it keeps its own
 * monotonic time; {@link #advance} moves it and the wall {@link ManualClock} together, while a
 * test may also step the wall clock alone (e.g. backwards).
 */
public final class ManualScheduler implements Scheduler {
    private final ManualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long seq;
    private Instant now = Instant.EPOCH;

    private static final class Task implements Comparable<Task>, Cancellable {
        final Instant due;
        final long seq;
        final Runnable run;
        volatile boolean cancelled;

        Task(Instant due, long seq, Runnable run) {
            this.due = due;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
        queue.add(t);
        return t;
    }

    /** Runs every task due now, including tasks they schedule for now; bounded to catch loops. */
    public void runDue() {
        for (int i = 0; i < 100_000; i++) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.due.isAfter(now)) {
                    return;
                }
                queue.poll();
            }
            if (!t.cancelled) {
                t.run.run();
            }
        }
        throw new IllegalStateException("scheduler did not settle: a task keeps rescheduling itself for now");
    }

    /** Moves time forward in steps of at most {@code step}, running what falls due at each step. */
    public void advance(Duration total, Duration step) {
        runDue();
        Duration left = total;
        while (!left.isZero() && !left.isNegative()) {
            Duration d = left.compareTo(step) < 0 ? left : step;
            synchronized (this) {
                now = now.plus(d);
            }
            clock.advance(d);
            left = left.minus(d);
            runDue();
        }
    }

    public void advance(Duration total) {
        advance(total, total);
    }

    public synchronized int queued() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }
}
