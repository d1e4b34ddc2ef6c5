package dev.haseq.launcher.cli;

import dev.haseq.launcher.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the haseq command line in-process with captured output. */
record Cli(int exitCode, String out, String err) {
    static final Path USER_HOME = Path.of("/home/operator");

    static Cli run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new LaunchEnvironment(env, USER_HOME), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    static Cli run(String... args) {
        return run(Map.of(), args);
    }
}
