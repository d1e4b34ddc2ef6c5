package dev.haseq.launcher.cli;

import dev.haseq.api.config.ConfigException;
import dev.haseq.launcher.config.ConfigLoad;
import dev.haseq.launcher.wiring.SelectedProviders;
import picocli.CommandLine.Command;

/**
 * {@code haseq config check}: loads the configuration exactly as the node would and prints the
 * effective value and source of every key, then the warnings (exit 0); or prints every error
 * (exit 1), including a provider name ({@code raft.provider}, {@code raft.log_store}, the
 * {@code storage.*_store} keys, {@code executor.provider}, {@code da.provider}) that matches no
 * installed provider. Malformed flags are usage errors (exit 2).
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
final class ConfigCheckCommand extends ConfigLoadingCommand {
    ConfigCheckCommand(LaunchEnvironment environment) {
        super(environment);
    }

    @Override
    public Integer call() {
        ConfigLoad load = loadConfig();
        if (load.config().isEmpty()) {
            return invalid(load);
        }
        try {
            // As `haseq start` would: every provider the configuration names must be installed.
            SelectedProviders.select(load.config().get());
        } catch (ConfigException e) {
            return invalid(e, load.warnings());
        }
        EffectiveConfigPrinter.print(load.config().get(), out());
        return 0;
    }
}
