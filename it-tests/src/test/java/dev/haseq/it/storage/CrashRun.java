package dev.haseq.it.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One crash of a {@link CrashChild}: start it, wait until it has printed a chosen number of
 * "durable" lines, wait a little more, SIGKILL it ({@link ProcessHandle#destroyForcibly()}), and collect
 * every complete line it printed (including those still in the pipe after the kill).
 * The kill is SIGKILL: no shutdown hooks, no flushing, like {@code kill -9} or an OOM kill.
 */
public final class CrashRun {
    /** Upper bound for one child's life; only a liveness guard, far above what a run needs. */
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final String EOF = "\u0000EOF";

    private CrashRun() {
    }

    /** The seed crash tests use: {@code -Dhaseq.crash.seed=...} to replay a failure, else a fresh one. */
    public static long seed() {
        String given = System.getProperty("haseq.crash.seed");
        return given != null ? Long.parseLong(given) : new SplittableRandom().nextLong();
    }

    /**
     * @param jvmFlags   extra flags for the child (e.g. a provider's small-segment property)
     * @param args       {@link CrashChild} arguments
     * @param marker     the prefix of the lines counted
     * @param killAfter  how many marker lines to wait for before killing
     * @param delayMillis extra wait before the kill, so it lands at an arbitrary point
     * @param work       a scratch directory for the child's stderr
     */
    public static List<String> runAndKill(List<String> jvmFlags, List<String> args, String marker, int killAfter,
                                          int delayMillis, Path work) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile(work, "crash-child-", ".err");
        Process p = ChildJvm.start(jvmFlags, CrashChild.class, args, stderr);
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = Thread.ofPlatform().daemon().name("crash-child-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("!pump " + e);
            } finally {
                lines.add(EOF);
            }
        });
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        int seen = 0;
        try {
            while (seen < killAfter) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("crash child printed only " + seen + " of " + killAfter + " '" + marker
                            + "' lines within " + CHILD_TIMEOUT + "; stderr:\n" + tail(stderr));
                }
                if (line.equals(EOF)) {
                    throw new AssertionError("crash child exited (code " + p.waitFor() + ") after " + seen + " of "
                            + killAfter + " '" + marker + "' lines; stderr:\n" + tail(stderr));
                }
                out.add(line);
                if (line.startsWith(marker)) {
                    seen++;
                }
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } finally {
            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
            // pipe and lose lines the child printed (after durable operations) just before it died.
            p.toHandle().destroyForcibly();
            if (!p.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("crash child did not die after SIGKILL");
            }
        }
        // The child may have printed more before it died: those operations were durable too.
        for (String line = lines.poll(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS); line != null && !line.equals(EOF);
             line = lines.poll(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            out.add(line);
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        return out;
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
