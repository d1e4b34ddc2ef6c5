package dev.haseq.launcher.cli;

import dev.haseq.api.config.ConfigProblem;
import dev.haseq.launcher.config.ConfigKeys;
import dev.haseq.launcher.config.ConfigLoad;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.EvnodeFlags;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every command that loads the node's configuration shares ({@code config check},
 * {@code start}): {@code --config} and {@code --home}; with the command's {@code --evnode.<key>=<value>}
 * flags they make a {@link ConfigRequest}.
 */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "<file>",
            description = "The config file: *.yaml/*.yml (YAML, e.g. evnode.yaml) or *.conf (HOCON).")
    Path configFile;

    @Option(names = "--home", paramLabel = "<dir>", description = "The node's home directory (default ~/.haseq).")
    String home;

    /**
     * Loads the configuration exactly as the node does; malformed flags are usage errors.
     *
     * @param overrides the command's unmatched arguments: {@code --evnode.<key>[=<value>]} flags
     *                  (picocli collects them on the command, not on a mixin)
     */
    ConfigLoad load(LaunchEnvironment environment, CommandLine commandLine, List<String> overrides) {
        List<EvnodeFlags.Flag> flags;
        try {
            flags = EvnodeFlags.parse(overrides, ConfigKeys.builtIn());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
        ConfigRequest request = new ConfigRequest(Optional.ofNullable(configFile), Optional.ofNullable(home), flags);
        return new ConfigLoader(environment.env(), environment.userHome()).load(request);
    }

    /** Prints every error (then the warnings) under a headline naming the command. */
    static void printErrors(String command, ConfigLoad load, PrintWriter err) {
        int n = load.errors().size();
        err.println(command + ": the configuration is invalid (" + n + (n == 1 ? " error" : " errors") + ")");
        for (ConfigProblem p : load.errors()) {
            err.println("error: " + p.message());
        }
        for (ConfigProblem p : load.warnings()) {
            err.println("warning: " + p.message());
        }
        err.flush();
    }
}
