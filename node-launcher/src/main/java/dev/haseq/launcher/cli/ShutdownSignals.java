package dev.haseq.launcher.cli;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a stop request that the main thread waits for, so the process can
 * stop gracefully and then exit 0 (a JVM that runs its shutdown hooks on a signal exits 143/130).
 * The first signal requests the stop; later ones are reported and otherwise ignored (the stop is
 * bounded; SIGKILL remains for the impatient). If the JVM cannot install signal handlers (e.g. it
 * runs with {@code -Xrs}), a shutdown hook requests the stop and waits for it instead.
 */
final class ShutdownSignals {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final Consumer<String> log;

    private ShutdownSignals(Consumer<String> log) {
        this.log = log;
    }

    /**
     * Installs the handlers.
     *
     * @param log where to report signals (one line each)
     */
    static ShutdownSignals install(Consumer<String> log) {
        ShutdownSignals s = new ShutdownSignals(log);
        boolean handled = true;
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> s.request("SIG" + sig.getName()));
            } catch (IllegalArgumentException e) {
                handled = false;
            }
        }
        // Also covers System.exit from elsewhere and signals we could not handle: stop gracefully,
        // bounded, before the JVM goes away.
        Thread hook = new Thread(() -> {
            if (s.finished.getCount() == 0) {
                return; // already stopped: a normal exit
            }
            s.request(null);
            s.awaitFinished(120, TimeUnit.SECONDS);
        }, "haseq-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!handled) {
            log.accept("cannot handle SIGTERM/SIGINT in this JVM; the shutdown hook stops the node instead");
        }
        return s;
    }

    /**
     * Stop requests that come only from {@link #request}: no signal handler, no shutdown hook. For
     * running {@code start} inside a JVM that is not the node's own (tests).
     */
    static ShutdownSignals requestedByCalls(Consumer<String> log) {
        return new ShutdownSignals(log);
    }

    /** Requests the stop; {@code why} is e.g. {@code SIGTERM} (null: JVM shutdown). */
    void request(String why) {
        String r = why == null ? "JVM shutdown" : why;
        if (reason.compareAndSet(null, r)) {
            log.accept("received " + r + ": stopping gracefully");
            requested.countDown();
        } else if (why != null) {
            log.accept("received " + r + " while stopping (after " + reason.get() + "); still stopping, "
                    + "send SIGKILL to stop at once");
        }
    }

    /** Blocks until a stop is requested; returns what requested it. */
    String awaitRequest() throws InterruptedException {
        requested.await();
        return reason.get();
    }

    /** Waits up to {@code timeout} for a stop request; true if one came. */
    boolean awaitRequest(java.time.Duration timeout) throws InterruptedException {
        return requested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** What requested the stop so far, if anything. */
    Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }

    /** The graceful stop is done: a waiting shutdown hook may let the JVM go. */
    void finished() {
        finished.countDown();
    }

    private void awaitFinished(long timeout, TimeUnit unit) {
        try {
            finished.await(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
