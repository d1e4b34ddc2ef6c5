package dev.haseq.it.storage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child JVM like this one: the same {@code java} binary, the same class path, and the
 * module/property flags of this JVM ({@code --add-*}, {@code --enable-native-access}, {@code -D}),
 * which storage backends such as Chronicle need. Used by the crash tests.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Flags that take their value as the next argument when not written as {@code --flag=value}. */
    private static final List<String> TWO_TOKEN_FLAGS = List.of("--add-opens", "--add-exports", "--add-modules",
            "--add-reads");

    /** This JVM's flags that a child needs to load the same providers. */
    public static List<String> inheritedFlags() {
        List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            if (TWO_TOKEN_FLAGS.contains(a) && i + 1 < in.size()) {
                out.add(a);
                out.add(in.get(++i));
            } else if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-D")) {
                out.add(a);
            }
        }
        return out;
    }

    /** The command line that runs {@code mainClass} with {@code args} in a child JVM. */
    public static List<String> command(List<String> extraJvmFlags, Class<?> mainClass, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(inheritedFlags());
        cmd.addAll(extraJvmFlags);
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child with stdout piped to the caller and stderr to {@code stderrFile}. */
    public static Process start(List<String> extraJvmFlags, Class<?> mainClass, List<String> args, Path stderrFile)
            throws IOException {
        return new ProcessBuilder(command(extraJvmFlags, mainClass, args))
                .redirectError(stderrFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }
}
