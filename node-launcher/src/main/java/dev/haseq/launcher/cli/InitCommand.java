package dev.haseq.launcher.cli;

import dev.haseq.api.config.ConfigProblem;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.launcher.config.ConfigKeys;
import dev.haseq.launcher.config.ConfigLoad;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.EvnodeFlags;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.launcher.config.NodeSettings;
import dev.haseq.launcher.config.RpcSettings;
import dev.haseq.launcher.setup.ConfigFileWriter;
import dev.haseq.launcher.setup.SignerKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code haseq init}: creates a node's home: {@code <home>/config/evnode.yaml} from the flags, and
 * the sequencer's Ed25519 key ({@code <home>/config/signer.key}, mode 0600) — new, or copied from
 * {@code --signer-key-from} (every node of a cluster must use the same key). The file is checked
 * exactly as {@code haseq start} would load it before anything is written for good; an existing
 * config is replaced only with {@code --force}, an existing different key never.
 * Exit 0 done, 1 invalid configuration or a key problem, 2 usage error.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create <home>/config/evnode.yaml and the sequencer's signing key <home>/config/signer.key.",
            "A cluster: run init on the first node, then on the others with --signer-key-from <first node's key>.",
            "Example: haseq init --home /var/lib/haseq --node-id node-1 --raft-addr 10.0.0.1:5001 "
                + "--peers node-2@10.0.0.2:5001,node-3@10.0.0.3:5001 --rpc-addr 10.0.0.1:7331 "
                + "--rpc-peers node-2@10.0.0.2:7331,node-3@10.0.0.3:7331"},
        footerHeading = "%nAny other key:%n",
        footer = {"  --evnode.<key>=<value>   e.g. --evnode.raft.heartbeat_timeout=92ms (written into the file)"})
final class InitCommand implements Callable<Integer> {
    static final String CONFIG_FILE = "evnode.yaml";

    private final LaunchEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--home", paramLabel = "<dir>", description = "The node's home directory (default ~/.haseq).")
    private String home;

    @Option(names = "--node-id", paramLabel = "<id>", description = "raft.node_id, e.g. node-1 (required with --peers).")
    private String nodeId;

    @Option(names = "--raft-addr", paramLabel = "<host:port>", description = "raft.raft_addr, e.g. 0.0.0.0:5001.")
    private String raftAddr;

    @Option(names = "--peers", paramLabel = "<id@host:port,...>",
            description = "raft.peers: the other members; enables Raft. Without it the node runs alone.")
    private String peers;

    @Option(names = "--rpc-addr", paramLabel = "<host:port>", description = "rpc.address, the HTTP API.")
    private String rpcAddr;

    @Option(names = "--rpc-peers", paramLabel = "<id@host:port,...>",
            description = "rpc.peers: the other members' API addresses (followers forward transactions there).")
    private String rpcPeers;

    @Option(names = "--block-time", paramLabel = "<duration>", description = "node.block_time, e.g. 1s.")
    private String blockTime;

    @Option(names = "--signer-key-from", paramLabel = "<file>",
            description = "Copy this Ed25519 key file (the cluster's key) instead of creating a new key.")
    private Path signerKeyFrom;

    @Option(names = "--force", description = "Replace an existing evnode.yaml (a signing key is never replaced).")
    private boolean force;

    @Unmatched
    private List<String> overrides = new ArrayList<>();

    InitCommand(LaunchEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path homeDir = resolveHome();
        Map<String, String> values = values(homeDir);
        Path configDir = homeDir.resolve("config");
        Path file = configDir.resolve(CONFIG_FILE);
        if (Files.exists(file) && !force) {
            err.println("haseq init: " + file + " already exists; use --force to replace it (the signing key is "
                    + "kept), or check it with 'haseq config check --home " + homeDir + "'");
            err.flush();
            return 1;
        }
        String yaml = ConfigFileWriter.yaml(List.of("haseq node configuration, written by 'haseq init' on "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".",
                "Every key, its default and meaning: haseq config check --home " + homeDir), values);
        Files.createDirectories(configDir);
        byte[] previous = Files.exists(file) ? Files.readAllBytes(file) : null;
        Files.writeString(file, yaml);
        ConfigLoad load = new ConfigLoader(Map.of(), environment.userHome()).load(ConfigRequest.ofFile(file));
        if (load.config().isEmpty()) {
            restore(file, previous);
            ConfigOptions.printErrors("haseq init", load, err);
            err.println("nothing was written");
            err.flush();
            return 1;
        }
        HaseqConfig config = load.config().get();
        Path key = config.node().signerKey();
        SignerKeys.Outcome outcome;
        try {
            outcome = SignerKeys.install(key, signerKeyFrom, new SecureRandom());
        } catch (IOException e) {
            restore(file, previous);
            err.println("haseq init: " + e.getMessage());
            err.println("the configuration was not written");
            err.flush();
            return 1;
        }
        out.println("wrote " + file);
        out.println(switch (outcome) {
            case CREATED -> "created a new signing key " + key + " (mode 0600); copy it to every other node of the "
                    + "cluster: haseq init --signer-key-from " + key + " ...";
            case COPIED -> "copied the signing key " + signerKeyFrom + " to " + key + " (mode 0600)";
            case KEPT -> "kept the existing signing key " + key;
        });
        for (ConfigProblem w : config.warnings()) {
            out.println("warning: " + w.message());
        }
        out.println("start the node with: haseq start --home " + homeDir);
        out.flush();
        return 0;
    }

    private Path resolveHome() {
        String h = home == null ? ConfigKeys.builtIn().defaultText(ConfigKeys.HOME) : home.strip();
        if (h.equals("~") || h.startsWith("~/")) {
            return environment.userHome().resolve(h.substring(1).replaceFirst("^/+", "")).toAbsolutePath().normalize();
        }
        return Path.of(h).toAbsolutePath().normalize();
    }

    /** The keys to write: what the flags say, nothing else (everything else keeps its default). */
    private Map<String, String> values(Path homeDir) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(ConfigKeys.HOME, homeDir.toString());
        v.put(NodeSettings.AGGREGATOR, "true");
        put(v, NodeSettings.BLOCK_TIME, blockTime);
        if (peers != null) {
            if (nodeId == null || raftAddr == null) {
                throw new ParameterException(spec.commandLine(), "--peers needs --node-id and --raft-addr too: every "
                        + "member needs a unique id and its own Raft address");
            }
            v.put(RaftSettings.ENABLE, "true");
        }
        put(v, RaftSettings.NODE_ID, nodeId);
        put(v, RaftSettings.RAFT_ADDR, raftAddr);
        put(v, RaftSettings.PEERS, peers);
        put(v, RpcSettings.ADDRESS, rpcAddr);
        put(v, RpcSettings.PEERS, rpcPeers);
        List<EvnodeFlags.Flag> flags;
        try {
            flags = EvnodeFlags.parse(overrides, ConfigKeys.builtIn());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        for (EvnodeFlags.Flag f : flags) {
            if (!ConfigKeys.builtIn().isKnown(f.key())) {
                throw new ParameterException(spec.commandLine(), f.flag() + ": unknown key " + f.key()
                        + " (haseq config check --help lists the sources; reference.conf every key)");
            }
            if (f.key().equals(ConfigKeys.HOME)) {
                throw new ParameterException(spec.commandLine(), "use --home to choose the home directory");
            }
            v.put(f.key(), f.value());
        }
        return v;
    }

    private static void put(Map<String, String> v, String key, String value) {
        if (value != null) {
            v.put(key, value);
        }
    }

    private static void restore(Path file, byte[] previous) throws IOException {
        if (previous == null) {
            Files.deleteIfExists(file);
        } else {
            Files.write(file, previous);
        }
    }
}
