package dev.haseq.consensus.raft.node;

import dev.haseq.api.storage.LogStore;
import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.Ready;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The log's writer thread: carries out the persistence step of the Readys the {@link RaftLoop}
 * hands over (append their entries, sync), in order, and then sends their
 * {@code messagesAfterPersist} (acknowledgements, which promise durability).
 *
 * <p><b>Why a thread of its own.</b> With the fsync on the Raft loop (or, on a follower, on the
 * transport's I/O thread that ran the turn), nothing else happened on that node for the length of
 * each fsync: a leader could not send the next batch or count acknowledgements, a follower could
 * not even read the next batch off its socket. Here the loop keeps stepping the core while the
 * disk works, and every job queued during one fsync shares the next (group commit): one
 * {@code sync()} for all of them.
 *
 * <p><b>Order and durability.</b> Jobs are persisted and their messages sent strictly in
 * submission order, and a job's messages leave only after the {@code sync()} that covers it and
 * every earlier job, which is what {@link Ready} requires of step 6. A job is marked
 * {@linkplain Job#persisted() persisted} after its messages were handed to the transport; the loop
 * then advances the Readys in order ({@link RaftLoop}).
 *
 * <p><b>Failure.</b> Any exception from the log store stops the writer for good (fail-stop: a
 * member that cannot persist must not acknowledge); {@link #failure()} tells why and the
 * {@code onDone} callback runs so the loop notices.
 */
final class LogWriter implements Runnable {
    /** Jobs persisted per {@code sync()} at most; keeps one group's messages from waiting on a huge write. */
    private static final int MAX_JOBS_PER_SYNC = 1024;

    /** One Ready's persistence step. */
    static final class Job {
        private final Ready ready;
        private volatile boolean persisted;
        /** Loop-owned: the Ready's committed entries were already handed to the applier. */
        boolean applied;

        Job(Ready ready) {
            this.ready = ready;
        }

        Ready ready() {
            return ready;
        }

        boolean persisted() {
            return persisted;
        }
    }

    private final String name;
    private final LogStore log;
    private final Consumer<Message> send;
    private final Runnable onDone;
    private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();
    private final ArrayList<Job> group = new ArrayList<>();
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * @param send   sends one message (thread-safe, non-blocking)
     * @param onDone called on the writer thread after each group was persisted (or the writer failed)
     */
    LogWriter(String name, LogStore log, Consumer<Message> send, Runnable onDone) {
        this.name = name;
        this.log = log;
        this.send = send;
        this.onDone = onDone;
    }

    /** Queues a job; thread-safe. */
    void submit(Job job) {
        queue.offer(job);
        Thread t = thread;
        if (t != null && sleeping) {
            LockSupport.unpark(t);
        }
    }

    Throwable failure() {
        return failure;
    }

    /** Stops the thread after the job in progress; queued jobs are dropped (their Readys are never advanced). */
    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for the thread to end; true if it did. */
    boolean join(long timeoutMillis) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(timeoutMillis);
        return !t.isAlive();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) {
                Job first = queue.poll();
                if (first == null) {
                    sleeping = true;
                    if (queue.isEmpty() && running) { // re-checked after announcing the park: no lost wake-up
                        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
                    }
                    sleeping = false;
                    continue;
                }
                group.add(first);
                Job next;
                while (group.size() < MAX_JOBS_PER_SYNC && (next = queue.poll()) != null) {
                    group.add(next);
                }
                persist();
                onDone.run();
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            running = false;
            onDone.run();
        }
    }

    private void persist() {
        boolean sync = false;
        for (Job j : group) {
            if (!j.ready.entries().isEmpty()) {
                log.append(j.ready.entries());
            }
            sync |= j.ready.mustSync();
        }
        if (sync) {
            log.sync();
        }
        for (Job j : group) {
            for (Message m : j.ready.messagesAfterPersist()) {
                send.accept(m);
            }
            j.persisted = true;
        }
        group.clear();
    }

    @Override
    public String toString() {
        return "log writer of " + name;
    }
}
