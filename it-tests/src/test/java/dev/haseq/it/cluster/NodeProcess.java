package dev.haseq.it.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/haseq start --home <home>} process. Its output (the node's log) is appended to
 * {@code <home>/haseq.log}. Every process ever started is SIGKILLed by a JVM shutdown hook if the
 * test did not stop it, so a failing or aborted test run leaves nothing behind.
 */
final class NodeProcess {
    /** Small heaps and a light collector/compiler: up to five nodes share two cores with the build. */
    static final String JAVA_OPTS = "-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1";
    private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
    }

    final String id;
    final Path home;
    final int raftPort;
    final int apiPort;
    final NodeClient api;
    private Process process;

    NodeProcess(String id, Path home, int raftPort, int apiPort) {
        this.id = id;
        this.home = home;
        this.raftPort = raftPort;
        this.apiPort = apiPort;
        this.api = new NodeClient(apiPort);
    }

    Path log() {
        return home.resolve("haseq.log");
    }

    /** Starts {@code haseq <args>} (default {@code start --home <home>}). */
    synchronized void start() {
        start(List.of("start", "--home", home.toString()));
    }

    synchronized void start(List<String> args) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is already running");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Distribution.bin().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("EVNODE_"));
        env.put("HASEQ_JAVA_OPTS", JAVA_OPTS);
        try {
            Files.createDirectories(home);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        ALL.add(process);
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, then waits (bounded) for the process to be gone. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(20));
    }

    /** SIGTERM; does not wait. */
    synchronized void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Waits (bounded) for the process to exit and returns its exit code; fails if it does not. */
    int awaitExit(Duration bound) {
        Process p;
        synchronized (this) {
            p = process;
        }
        try {
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(id + " did not exit within " + bound.toSeconds() + "s; log tail:\n"
                        + logTail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        ALL.remove(p);
        return p.exitValue();
    }

    String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log() + ": " + e + ")";
        }
    }

    String logTail(int lines) {
        List<String> all = logText().lines().filter(l -> !l.startsWith("WARNING:")).toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public String toString() {
        return id + "(api " + apiPort + ", raft " + raftPort + ", " + (isAlive() ? "running" : "stopped") + ")";
    }
}
