package dev.haseq.launcher;

import dev.haseq.launcher.cli.HaseqCommand;
import dev.haseq.launcher.cli.LaunchEnvironment;
import java.io.PrintWriter;

/** The {@code haseq} command line; {@code bin/haseq} runs this class on the module path. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, LaunchEnvironment.system(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)));
    }

    /** Runs one command and returns its exit code (0 ok, 1 invalid configuration, 2 usage error). */
    public static int run(String[] args, LaunchEnvironment environment, PrintWriter out, PrintWriter err) {
        return HaseqCommand.commandLine(environment, out, err).execute(args);
    }
}
