package dev.haseq.launcher.cli;

import dev.haseq.api.config.ConfigProblem;
import dev.haseq.launcher.config.ConfigKeys;
import dev.haseq.launcher.config.ConfigLoad;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.EvnodeFlags;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code haseq config check}: loads the configuration exactly as the node would and prints the
 * effective value and source of every key, then the warnings (exit 0); or prints every error
 * (exit 1). Malformed flags are usage errors (exit 2).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Load the configuration as the node would; print every key's effective value and its "
                + "source, then the warnings, or print every error and exit 1.",
            "",
            "Sources, lowest precedence first: built-in defaults; the config file (--config, else "
                + "<home>/config/evnode.yaml or haseq.conf); environment variables EVNODE_<KEY> (the key in "
                + "upper case, '.' as '_', e.g. EVNODE_RAFT_HEARTBEAT_TIMEOUT); flags."},
        footerHeading = "%nConfiguration flags:%n",
        footer = {"  --evnode.<key>=<value> | --evnode.<key> <value>",
            "      Set any key, e.g. --evnode.raft.heartbeat_timeout=92ms.",
            "      A boolean key alone means true: --evnode.raft.enable"})
final class ConfigCheckCommand implements Callable<Integer> {
    private final LaunchEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "<file>",
            description = "The config file: *.yaml/*.yml (YAML, e.g. evnode.yaml) or *.conf (HOCON).")
    private Path configFile;

    @Option(names = "--home", paramLabel = "<dir>", description = "The node's home directory (default ~/.haseq).")
    private String home;

    @Unmatched
    private List<String> overrides = new ArrayList<>();

    ConfigCheckCommand(LaunchEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        List<EvnodeFlags.Flag> flags;
        try {
            flags = EvnodeFlags.parse(overrides, ConfigKeys.builtIn());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ConfigRequest request = new ConfigRequest(Optional.ofNullable(configFile), Optional.ofNullable(home), flags);
        ConfigLoad load = new ConfigLoader(environment.env(), environment.userHome()).load(request);
        if (load.config().isPresent()) {
            EffectiveConfigPrinter.print(load.config().get(), spec.commandLine().getOut());
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        int n = load.errors().size();
        err.println("haseq config check: the configuration is invalid (" + n + (n == 1 ? " error" : " errors") + ")");
        for (ConfigProblem p : load.errors()) {
            err.println("error: " + p.message());
        }
        for (ConfigProblem p : load.warnings()) {
            err.println("warning: " + p.message());
        }
        err.flush();
        return 1;
    }
}
