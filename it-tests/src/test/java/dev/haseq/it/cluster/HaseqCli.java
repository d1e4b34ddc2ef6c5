package dev.haseq.it.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one short {@code bin/haseq} command (status, transfer-leadership, ...) and captures its output. */
record HaseqCli(int exitCode, String output) {

    static HaseqCli run(Path scratch, Duration bound, String... args) throws IOException, InterruptedException {
        return run(scratch, bound, Map.of(), args);
    }

    /**
     * As {@link #run(Path, Duration, String...)}, with {@code env} added to the environment, from
     * which every inherited {@code EVNODE_*} variable is removed first.
     */
    static HaseqCli run(Path scratch, Duration bound, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Distribution.bin().toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "cli", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("EVNODE_"));
        pb.environment().putAll(env);
        pb.environment().put("HASEQ_JAVA_OPTS", NodeProcess.JAVA_OPTS);
        Process p = pb.start();
        if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("haseq " + String.join(" ", args) + " did not finish within " + bound.toSeconds()
                    + "s; output:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new HaseqCli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
