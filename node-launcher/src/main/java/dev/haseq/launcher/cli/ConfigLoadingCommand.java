package dev.haseq.launcher.cli;

import dev.haseq.api.config.ConfigException;
import dev.haseq.api.config.ConfigProblem;
import dev.haseq.launcher.config.ConfigLoad;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A command that loads the node's configuration exactly as the node does ({@code config check},
 * {@code start}): {@code --config}, {@code --home} and the {@code --evnode.<key>=<value>} flags
 * (picocli collects those on the command, not on a mixin, hence this base class), and the one way
 * an invalid configuration is reported: every error, then the warnings, on stderr, and exit 1.
 */
abstract class ConfigLoadingCommand implements Callable<Integer> {
    private final LaunchEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options = new ConfigOptions();

    @Unmatched
    private List<String> overrides = new ArrayList<>();

    ConfigLoadingCommand(LaunchEnvironment environment) {
        this.environment = environment;
    }

    /** Loads the configuration; malformed {@code --evnode.*} flags are usage errors (exit 2). */
    final ConfigLoad loadConfig() {
        return options.load(environment, spec.commandLine(), overrides);
    }

    /** Reports an invalid configuration under a headline naming the command, e.g. {@code haseq start}; returns 1. */
    final int invalid(ConfigLoad load) {
        ConfigOptions.printErrors(commandName(), load, err());
        return 1;
    }

    /** As {@link #invalid(ConfigLoad)}, for problems found after loading (e.g. a provider that is not installed). */
    final int invalid(ConfigException e, List<ConfigProblem> warnings) {
        return invalid(new ConfigLoad(Optional.empty(), e.problems(), warnings));
    }

    /** The command as the operator typed it, e.g. {@code haseq config check}. */
    final String commandName() {
        return spec.qualifiedName();
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
