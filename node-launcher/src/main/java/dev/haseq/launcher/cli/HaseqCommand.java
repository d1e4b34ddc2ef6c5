package dev.haseq.launcher.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code haseq} command. Exit codes: 0 success, 1 invalid configuration (or another failure),
 * 2 usage error (unknown command or option, missing value).
 */
@Command(name = "haseq", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "haseq: a high-availability block sequencer for rollup chains.",
        subcommands = {StartCommand.class, InitCommand.class, StatusCommand.class, TransferLeadershipCommand.class,
                DevClusterCommand.class, ConfigCommand.class, TuneCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:invalid configuration or another failure", "2:usage error"})
public final class HaseqCommand {

    /** A ready command line for {@code haseq}, writing to the given streams. */
    public static CommandLine commandLine(LaunchEnvironment environment, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new HaseqCommand(), new CommandFactory(environment));
        cl.setOut(out);
        cl.setErr(err);
        return cl;
    }
}
