package dev.haseq.launcher.cli;

import dev.haseq.api.HostPort;
import dev.haseq.api.config.Durations;
import dev.haseq.launcher.devcluster.DevCluster;
import dev.haseq.launcher.devcluster.DevClusterLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code haseq dev-cluster}: runs a local cluster of child {@code haseq start} processes on
 * 127.0.0.1 with generated configs and one shared signing key, prints each node's API address,
 * then one line per new block until Ctrl-C/SIGTERM, which stops every node gracefully (bounded).
 */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
        description = {"Run a local cluster of haseq nodes on 127.0.0.1 and print every new block; Ctrl-C stops it.",
            "Node i listens for its API on base-port + i and for Raft on base-port + 100 + i; its home (config, "
                + "key, raft/, data/, haseq.log) is <dir>/node-i. A --dir from an earlier run is reused: the nodes "
                + "rejoin with their state."})
final class DevClusterCommand implements Callable<Integer> {
    /** How long the nodes get to stop gracefully before they are killed. */
    static final Duration STOP_BOUND = Duration.ofSeconds(30);
    /** The variable bin/haseq sets to its own path, so children run the same distribution. */
    static final String LAUNCHER_VARIABLE = "HASEQ_LAUNCHER";
    /** JVM options for the children unless HASEQ_JAVA_OPTS is set: small heaps, a light collector. */
    static final String CHILD_JAVA_OPTS = "-XX:+UseSerialGC -Xms32m -Xmx512m";

    private final LaunchEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", paramLabel = "<n>",
            description = "How many nodes (1-" + DevClusterLayout.MAX_NODES + ", default ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--dir", paramLabel = "<dir>",
            description = "Where the nodes' homes go (kept). Default: a new temporary directory, deleted at the end.")
    private Path dir;

    @Option(names = "--base-port", defaultValue = "" + DevClusterLayout.DEFAULT_BASE_PORT, paramLabel = "<port>",
            description = "Node i's API is on base-port + i, Raft on base-port + 100 + i (default ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(names = "--block-time", defaultValue = "1s", paramLabel = "<duration>",
            description = "node.block_time of every node (default ${DEFAULT-VALUE}).")
    private String blockTime;

    @Option(names = "--quiet-blocks", description = "Do not print a line per block.")
    private boolean quietBlocks;

    DevClusterCommand(LaunchEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration bt;
        try {
            bt = Durations.parse(blockTime);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--block-time: " + e.getMessage());
        }
        boolean temporary = dir == null;
        Path where = temporary ? Files.createTempDirectory("haseq-dev-cluster-") : dir.toAbsolutePath().normalize();
        DevClusterLayout layout;
        try {
            layout = new DevClusterLayout(where, nodes, basePort, bt);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        DevCluster cluster = new DevCluster(layout, launcher(), childEnvironment());
        try {
            boolean reused = cluster.prepare();
            cluster.checkPortsFree();
            out.printf("haseq dev-cluster: %d node%s under %s%s, block time %s%n", nodes, nodes == 1 ? "" : "s", where,
                    reused ? " (reusing the nodes' state from an earlier run)" : "", Durations.format(bt));
            if (nodes % 2 == 0) {
                out.println("note: an even number of nodes tolerates no more failures than one node fewer");
            }
            for (DevClusterLayout.Member m : layout.members()) {
                out.printf("  %-7s API http://%s  raft %s  log %s%n", m.id(), m.api(), m.raft(), m.log());
            }
            out.println("try: haseq status --rpc " + layout.members().get(0).api()
                    + "   |   curl -d 'set greeting hello' http://" + layout.members().get(0).api() + "/tx");
            out.println("Ctrl-C stops the cluster.");
            out.flush();
        } catch (IOException e) {
            err.println("haseq dev-cluster: " + e.getMessage());
            err.flush();
            if (temporary) {
                DevCluster.deleteTree(where);
            }
            return 1;
        }
        ShutdownSignals signals = ShutdownSignals.install(line -> {
            out.println(line);
            out.flush();
        });
        int code = 0;
        try {
            cluster.start();
            code = run(cluster, signals, out);
        } finally {
            out.println("stopping " + nodes + " node" + (nodes == 1 ? "" : "s") + "...");
            out.flush();
            cluster.stop(STOP_BOUND, out);
            if (temporary) {
                DevCluster.deleteTree(where);
            } else {
                out.println("state kept in " + where + " (run again with --dir " + where + " to continue)");
            }
            out.flush();
            signals.finished();
        }
        return code;
    }

    /** Tails blocks until a stop is requested (0) or every node has exited on its own (1). */
    private int run(DevCluster cluster, ShutdownSignals signals, PrintWriter out) throws InterruptedException {
        List<HostPort> apis = cluster.layout().members().stream()
                .map(m -> HostPort.parse(m.api())).toList();
        Duration bt = cluster.layout().blockTime();
        long pollMillis = Math.max(50, Math.min(500, bt.toMillis() / 2));
        Map<String, Integer> reported = new HashMap<>();
        try (BlockTail tail = new BlockTail(apis, out)) {
            while (signals.reason().isEmpty()) {
                if (!quietBlocks) {
                    tail.poll();
                }
                for (Map.Entry<DevClusterLayout.Member, Integer> e : cluster.exited().entrySet()) {
                    if (reported.putIfAbsent(e.getKey().id(), e.getValue()) == null && signals.reason().isEmpty()) {
                        out.println(e.getKey().id() + " exited with code " + e.getValue() + "; see " + e.getKey().log());
                        out.flush();
                    }
                }
                if (reported.size() == nodes && signals.reason().isEmpty()) {
                    out.println("every node has exited");
                    return 1;
                }
                signals.awaitRequest(Duration.ofMillis(pollMillis));
            }
        }
        return 0;
    }

    /** bin/haseq exports its own path; without it (e.g. run from an IDE), re-run this JVM's command. */
    private List<String> launcher() {
        String bin = environment.env().get(LAUNCHER_VARIABLE);
        if (bin != null && !bin.isBlank()) {
            return List.of(bin);
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> java = info.command();
        Optional<String[]> args = info.arguments();
        if (java.isEmpty() || args.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "cannot tell how to start the nodes: run dev-cluster "
                    + "through bin/haseq (it sets " + LAUNCHER_VARIABLE + ")");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.get());
        String[] a = args.get();
        for (int i = 0; i < a.length; i++) {
            cmd.add(a[i]);
            if ((a[i].equals("-m") || a[i].equals("--module")) && i + 1 < a.length) {
                cmd.add(a[i + 1]);
                return cmd;
            }
        }
        throw new ParameterException(spec.commandLine(), "cannot tell how to start the nodes from this JVM's command "
                + "line: run dev-cluster through bin/haseq (it sets " + LAUNCHER_VARIABLE + ")");
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> env = new HashMap<>();
        environment.env().forEach((k, v) -> {
            if (!k.startsWith("EVNODE_")) {
                env.put(k, v);
            }
        });
        env.putIfAbsent("HASEQ_JAVA_OPTS", CHILD_JAVA_OPTS);
        return env;
    }
}
