package dev.haseq.launcher.cli;

import picocli.CommandLine.Command;

/** {@code haseq config}: configuration tools (a subcommand is required). */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
        subcommands = {ConfigCheckCommand.class})
final class ConfigCommand {
}
