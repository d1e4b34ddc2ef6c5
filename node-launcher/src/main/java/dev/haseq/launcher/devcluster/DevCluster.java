package dev.haseq.launcher.devcluster;

import dev.haseq.launcher.setup.ConfigFileWriter;
import dev.haseq.launcher.setup.SignerKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local cluster of child {@code haseq start} processes on 127.0.0.1 (see {@link DevClusterLayout}).
 * {@link #prepare} writes each node's home (config + a copy of one shared signing key), or reuses
 * the homes a previous run left in the same directory; {@link #start} launches the children, each
 * logging to {@code <home>/haseq.log}; {@link #stop} sends SIGTERM to all of them, waits (bounded)
 * and SIGKILLs whatever is left. Children inherit the environment minus {@code EVNODE_*} variables,
 * so the generated files alone configure them. Not thread-safe except {@link #exited}.
 */
public final class DevCluster {
    private final DevClusterLayout layout;
    private final List<String> launcher;
    private final Map<String, String> environment;
    private final List<Process> processes = new ArrayList<>();

    /**
     * @param launcher    the command that runs haseq (e.g. {@code [/opt/haseq/bin/haseq]}); {@code start
     *                    --home <dir>} is appended for each child
     * @param environment the children's environment
     */
    public DevCluster(DevClusterLayout layout, List<String> launcher, Map<String, String> environment) {
        this.layout = layout;
        this.launcher = List.copyOf(launcher);
        this.environment = Map.copyOf(environment);
    }

    public DevClusterLayout layout() {
        return layout;
    }

    /**
     * Writes the node homes, or checks that the existing ones fit.
     *
     * @return true if a previous run's homes were reused (the nodes rejoin with their state)
     */
    public boolean prepare() throws IOException {
        List<DevClusterLayout.Member> members = layout.members();
        boolean existing = Files.exists(members.get(0).home().resolve("config/evnode.yaml"));
        if (existing) {
            for (DevClusterLayout.Member m : members) {
                if (!Files.exists(m.home().resolve("config/evnode.yaml"))) {
                    throw new IOException(layout.dir() + " holds a cluster of another size (" + m.home()
                            + " is missing): use the same --nodes, or another --dir");
                }
            }
            if (Files.exists(layout.dir().resolve("node-" + (layout.nodes() + 1)))) {
                throw new IOException(layout.dir() + " holds a cluster with more than " + layout.nodes()
                        + " nodes: use the same --nodes, or another --dir");
            }
            return true;
        }
        Files.createDirectories(layout.dir());
        SignerKeys.install(layout.sharedKey(), null, new SecureRandom());
        for (DevClusterLayout.Member m : members) {
            Path config = m.home().resolve("config");
            Files.createDirectories(config);
            Files.writeString(config.resolve("evnode.yaml"), ConfigFileWriter.yaml(List.of(
                    "haseq dev-cluster: " + m.id() + " of " + layout.nodes() + " on 127.0.0.1 (generated)"),
                    layout.configOf(m)));
            SignerKeys.install(config.resolve("signer.key"), layout.sharedKey(), new SecureRandom());
        }
        return false;
    }

    /** Fails with the port named if one the cluster needs is already taken. */
    public void checkPortsFree() throws IOException {
        for (int port : layout.boundPorts()) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                throw new IOException("port " + port + " on 127.0.0.1 is in use (" + e.getMessage()
                        + "); stop what uses it or choose another --base-port", e);
            }
        }
    }

    /** Starts every node; returns once the processes exist (not once they serve). */
    public void start() throws IOException {
        for (DevClusterLayout.Member m : layout.members()) {
            List<String> cmd = new ArrayList<>(launcher);
            cmd.addAll(List.of("start", "--home", m.home().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(environment);
            processes.add(pb.start());
        }
    }

    public List<Process> processes() {
        return List.copyOf(processes);
    }

    /** Members whose process has exited, with the exit code. */
    public Map<DevClusterLayout.Member, Integer> exited() {
        Map<DevClusterLayout.Member, Integer> out = new java.util.LinkedHashMap<>();
        List<DevClusterLayout.Member> members = layout.members();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (!p.isAlive()) {
                out.put(members.get(i), p.exitValue());
            }
        }
        return out;
    }

    /**
     * SIGTERM to every node, then waits up to {@code bound} for all of them; SIGKILLs the rest.
     * Reports each node's exit on {@code out}.
     */
    public void stop(Duration bound, PrintWriter out) {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        long deadline = System.nanoTime() + bound.toNanos();
        List<DevClusterLayout.Member> members = layout.members();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            String id = members.get(i).id();
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    out.println("  " + id + " stopped (exit " + p.exitValue() + ")");
                } else {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    out.println("  " + id + " did not stop within " + bound.toSeconds() + "s: killed");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            out.flush();
        }
    }

    /** Deletes a directory tree (the temporary cluster directory). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
