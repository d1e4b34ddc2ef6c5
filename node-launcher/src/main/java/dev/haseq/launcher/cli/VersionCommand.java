package dev.haseq.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code haseq version}: haseq's version and the Java runtime it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print haseq's version and the Java runtime.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The version of this build, from the filtered {@code version.properties}. */
    static String haseqVersion() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/dev/haseq/launcher/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
    }

    static String[] lines() {
        return new String[] {
            "haseq " + haseqVersion(),
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ", "
                    + System.getProperty("java.home", "?") + ")"
        };
    }

    /** For {@code haseq --version}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
