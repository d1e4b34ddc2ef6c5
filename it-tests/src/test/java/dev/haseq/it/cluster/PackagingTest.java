package dev.haseq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files under {@code packaging/} against the build and the launcher, without Docker (the build
 * machines have no Docker daemon): what the Dockerfile copies is the built distribution and its
 * entry point is the launcher script; every compose node's environment passes {@code haseq config
 * check} with the ports the image exposes and the other services as its peers; the keygen service
 * writes the key where the nodes read it and keeps it on later runs; the health check command
 * passes against a real ready node; the systemd unit runs a valid command on the node's home.
 *
 * <p>Not covered (needs Docker): building the image (base image, user, file modes), compose's own
 * parsing and interpolation, Docker networking and DNS, volumes, and the nodes forming a cluster
 * inside containers.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PackagingTest {
    /** Surefire runs in {@code it-tests/}; the Docker build context is the repository root. */
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKERFILE = REPO.resolve("packaging/docker/Dockerfile");
    private static final Path COMPOSE = REPO.resolve("packaging/docker/compose.yaml");
    private static final Path UNIT = REPO.resolve("packaging/systemd/haseq.service");
    private static final Duration CLI_BOUND = Duration.ofSeconds(60);
    /** One line of {@code haseq config check}: {@code key = value  # source}. */
    private static final Pattern CHECK_LINE = Pattern.compile("^([a-z0-9_.]+) += (\".*?\"|\\S+) +# (.+)$");
    private static final Pattern HEALTH_PORT = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+)\\b");

    @TempDir
    Path dir;

    /** A key's effective value and where it came from, as {@code haseq config check} prints them. */
    record Effective(String value, String source) {
    }

    /** The host path the image's {@code containerPath} comes from, through the Dockerfile's COPYs. */
    private static Path copiedFrom(Dockerfile df, String containerPath) {
        return df.copies().stream().filter(c -> ComposeFile.under(containerPath, c.destination()))
                .max((a, b) -> Integer.compare(a.destination().length(), b.destination().length()))
                .map(c -> REPO.resolve(c.source()).resolve(ComposeFile.relative(containerPath, c.destination())))
                .orElseThrow(() -> new AssertionError(containerPath + " is not copied into the image"));
    }

    private static int run(Duration bound, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish within " + bound.toSeconds() + "s");
        }
        return p.exitValue();
    }

    private static Map<String, Effective> effective(String checkOutput) {
        Map<String, Effective> values = new LinkedHashMap<>();
        for (String line : checkOutput.lines().toList()) {
            Matcher m = CHECK_LINE.matcher(line);
            if (m.matches()) {
                String v = m.group(2);
                values.put(m.group(1), new Effective(v.startsWith("\"") ? v.substring(1, v.length() - 1) : v,
                        m.group(3)));
            }
        }
        return values;
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    @Test
    void theImageIsTheBuiltDistributionWithTheLauncherScriptAsEntryPoint() throws Exception {
        Dockerfile df = Dockerfile.read(DOCKERFILE);

        for (Dockerfile.Copy c : df.copies()) {
            assertThat(REPO.resolve(c.source())).as("COPY source " + c.source() + " (build context: the repository "
                    + "root; the distribution is built by 'mvn package')").exists();
        }
        Path script = copiedFrom(df, df.entrypoint().getFirst());
        assertThat(script).as("the entry point").isExecutable();
        assertThat(script.toRealPath()).isEqualTo(Distribution.bin().toRealPath());
        assertThat(Files.readString(script)).as("Maven filtered the launcher script").doesNotContainPattern("@[\\w.]+@");
        assertThat(run(CLI_BOUND, "bash", "-n", script.toString())).as("bash -n " + script).isZero();
        try (Stream<Path> lib = Files.list(script.getParent().resolveSibling("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("haseq-node-launcher-"));
        }

        List<String> defaultCommand = new ArrayList<>(df.entrypoint().subList(1, df.entrypoint().size()));
        defaultCommand.addAll(df.cmd());
        defaultCommand.add("--help");
        HaseqCli help = HaseqCli.run(dir, CLI_BOUND, defaultCommand.toArray(String[]::new));
        assertThat(help.exitCode()).as("haseq " + defaultCommand + ":\n" + help.output()).isZero();
        assertThat(help.output()).contains("Usage: haseq " + df.cmd().getFirst());

        String home = df.env().get("EVNODE_HOME");
        assertThat(home).as("the image sets the node's home").isNotBlank();
        assertThat(df.volumes()).as("the home is the volume").containsExactly(home);
        assertThat(df.workdir()).contains(home);
    }

    @Test
    void everyComposeNodePassesConfigCheckWithThePortsTheImageExposesAndTheOtherNodesAsPeers() throws Exception {
        Dockerfile df = Dockerfile.read(DOCKERFILE);
        ComposeFile compose = ComposeFile.read(COMPOSE);
        Map<String, Map<String, Effective>> configs = new LinkedHashMap<>();
        for (String name : compose.nodeServices()) {
            Map<String, String> env = new LinkedHashMap<>(df.env());
            env.putAll(compose.environment(name));
            env.put("EVNODE_HOME", dir.resolve(name).toString()); // the volume, here
            HaseqCli check = HaseqCli.run(dir, CLI_BOUND, env, "config", "check");
            assertThat(check.exitCode()).as(name + ": haseq config check with the compose environment:\n"
                    + check.output()).isZero();
            Map<String, Effective> config = effective(check.output());
            for (String var : env.keySet().stream().filter(v -> v.startsWith("EVNODE_")).toList()) {
                assertThat(config.values()).as(name + ": " + var + " sets a key").extracting(Effective::source)
                        .contains("env " + var);
            }
            assertThat(config.get("raft.raft_dir").value()).startsWith(dir.resolve(name).toString());
            assertThat(config.get("storage.data_dir").value()).startsWith(dir.resolve(name).toString());
            assertThat(compose.mounts(name)).as(name + ": the home " + df.env().get("EVNODE_HOME") + " is a volume")
                    .anyMatch(m -> m.target().equals(df.env().get("EVNODE_HOME")) && !m.readOnly());
            configs.put(name, config);
        }
        assertThat(configs).as("compose nodes").hasSizeGreaterThanOrEqualTo(3);

        Map<String, String> idOf = new HashMap<>();
        configs.forEach((name, c) -> idOf.put(name, c.get("raft.node_id").value()));
        for (var e : configs.entrySet()) {
            String name = e.getKey();
            Map<String, Effective> c = e.getValue();
            int raft = port(c.get("raft.raft_addr").value());
            int rpc = port(c.get("rpc.address").value());
            int p2p = port(c.get("p2p.listen_address").value().replaceFirst("/tcp/", ":"));
            assertThat(df.exposedPorts()).as(name + ": raft, rpc, p2p ports exposed by the image").contains(raft, rpc, p2p);
            if (c.get("metrics.enabled").value().equals("true")) {
                assertThat(df.exposedPorts()).contains(port(c.get("metrics.address").value()));
            }
            assertThat(compose.publishedContainerPorts(name)).as(name + ": published ports").containsExactly(rpc);
            Matcher health = HEALTH_PORT.matcher(compose.healthCheckScript(name));
            assertThat(health.find()).as(name + ": the health check connects to 127.0.0.1").isTrue();
            assertThat(Integer.parseInt(health.group(1))).as(name + ": health check port").isEqualTo(rpc);
            assertThat(compose.healthCheckScript(name)).contains("GET /health/ready ");

            List<String> expectRaft = new ArrayList<>();
            List<String> expectRpc = new ArrayList<>();
            List<String> expectP2p = new ArrayList<>();
            for (var other : configs.entrySet()) {
                if (other.getKey().equals(name)) {
                    continue;
                }
                String host = compose.hostname(other.getKey());
                Map<String, Effective> o = other.getValue();
                expectRaft.add(idOf.get(other.getKey()) + "@" + host + ":" + port(o.get("raft.raft_addr").value()));
                expectRpc.add(idOf.get(other.getKey()) + "@" + host + ":" + port(o.get("rpc.address").value()));
                expectP2p.add("/dns4/" + host + "/tcp/" + port(o.get("p2p.listen_address").value()
                        .replaceFirst("/tcp/", ":")));
            }
            assertThat(c.get("raft.peers").value().split(",")).as(name + ": raft.peers")
                    .containsExactlyInAnyOrderElementsOf(expectRaft);
            assertThat(c.get("rpc.peers").value().split(",")).as(name + ": rpc.peers")
                    .containsExactlyInAnyOrderElementsOf(expectRpc);
            assertThat(c.get("p2p.peers").value().split(",")).as(name + ": p2p.peers")
                    .containsExactlyInAnyOrderElementsOf(expectP2p);
        }
    }

    @Test
    void theKeygenServiceWritesTheKeyWhereEveryNodeReadsItAndKeepsItOnLaterRuns() throws Exception {
        Dockerfile df = Dockerfile.read(DOCKERFILE);
        ComposeFile compose = ComposeFile.read(COMPOSE);
        Path volumes = dir.resolve("volumes");
        Map<String, String> env = new LinkedHashMap<>(df.env());
        env.put("EVNODE_HOME", dir.resolve("keygen-home").toString());
        String[] keygen = compose.command("keygen").stream()
                .map(a -> compose.hostPath("keygen", a, volumes).map(Path::toString).orElse(a)).toArray(String[]::new);

        HaseqCli first = HaseqCli.run(dir, CLI_BOUND, env, keygen);

        assertThat(first.exitCode()).as("keygen: haseq " + String.join(" ", keygen) + "\n" + first.output()).isZero();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String name : compose.nodeServices()) {
            String keyPath = compose.environment(name).get("EVNODE_NODE_SIGNER_KEY");
            assertThat(keyPath).as(name + ": EVNODE_NODE_SIGNER_KEY").isNotNull();
            Path key = compose.hostPath(name, keyPath, volumes)
                    .orElseThrow(() -> new AssertionError(name + ": " + keyPath + " is on no volume"));
            assertThat(key).as(name + ": the signing key the keygen service wrote").isNotEmptyFile();
            assertThat(compose.mounts(name)).as(name + ": the key volume is mounted read-only")
                    .anyMatch(m -> ComposeFile.under(keyPath, m.target()) && m.readOnly());
            keys.put(name, Files.readAllBytes(key));
        }
        assertThat(keys.values().stream().map(java.util.Arrays::hashCode).distinct()).as("one key for all").hasSize(1);

        HaseqCli second = HaseqCli.run(dir, CLI_BOUND, env, keygen); // every 'docker compose up' runs it again

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("kept the existing signing key");
        String anyNode = compose.nodeServices().getFirst();
        assertThat(compose.hostPath(anyNode, compose.environment(anyNode).get("EVNODE_NODE_SIGNER_KEY"), volumes)
                .orElseThrow()).hasBinaryContent(keys.get(anyNode));
    }

    @Test
    void theHealthCheckPassesOnAReadyNodeAndFailsWhenNothingListens() throws Exception {
        ComposeFile compose = ComposeFile.read(COMPOSE);
        String script = compose.healthCheckScript(compose.nodeServices().getFirst());
        Matcher m = HEALTH_PORT.matcher(script);
        assertThat(m.find()).isTrue();
        String target = m.group();
        assertThat(run(CLI_BOUND, "bash", "-n", "-c", script)).as("bash -n -c '" + script + "'").isZero();

        try (LocalCluster cluster = LocalCluster.create(dir.resolve("cluster"), 1)) {
            cluster.startAll();
            NodeProcess node = cluster.nodes.getFirst();
            Waits.until(Duration.ofSeconds(120), "GET /health/ready answers 200", () -> {
                try {
                    return node.api.get("/health/ready", Duration.ofSeconds(2)).status() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, () -> node.logTail(30));

            String onNode = script.replace(target, "/dev/tcp/127.0.0.1/" + node.apiPort);
            assertThat(run(Duration.ofSeconds(30), "bash", "-c", onNode)).as(onNode).isZero();
            String onNothing = script.replace(target, "/dev/tcp/127.0.0.1/" + FreePorts.pick(1).getFirst());
            assertThat(run(Duration.ofSeconds(30), "bash", "-c", onNothing)).as(onNothing).isNotZero();
        }
    }

    @Test
    void theSystemdUnitRunsAValidStartCommandOnItsStateDirectory() throws Exception {
        Map<String, List<String>> unit = new HashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                String value = line.substring(eq + 1).strip();
                unit.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
            }
        }
        List<String> exec = List.of(unit.get("ExecStart").getFirst().split("\\s+"));
        assertThat(exec.getFirst()).as("ExecStart runs the distribution's launcher").endsWith("/bin/haseq");
        String home = exec.get(exec.indexOf("--home") + 1);
        assertThat(unit.get("Environment")).contains("EVNODE_HOME=" + home);
        assertThat("/var/lib/" + unit.get("StateDirectory").getFirst()).as("StateDirectory").isEqualTo(home);
        assertThat(unit.get("ReadWritePaths")).contains(home);
        String doc = unit.get("Documentation").getFirst();
        assertThat(doc).startsWith("file:/opt/haseq/docs/");
        assertThat(REPO.resolve("docs").resolve(doc.substring("file:/opt/haseq/docs/".length()))).isRegularFile();

        List<String> args = new ArrayList<>(exec.subList(1, exec.size()));
        args.set(args.indexOf("--home") + 1, dir.resolve("home").toString());
        args.add("--help");
        HaseqCli help = HaseqCli.run(dir, CLI_BOUND, args.toArray(String[]::new));
        assertThat(help.exitCode()).as("haseq " + args + ":\n" + help.output()).isZero();
    }
}
