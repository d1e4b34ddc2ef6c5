package dev.haseq.it.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runnable distribution the cluster tests start nodes from: {@code node-launcher/target/haseq}
 * (the build sets {@code haseq.distribution}; the reactor packages node-launcher first).
 */
final class Distribution {
    private Distribution() {
    }

    static Path bin() {
        String dir = System.getProperty("haseq.distribution", "../node-launcher/target/haseq");
        Path bin = Path.of(dir).toAbsolutePath().normalize().resolve("bin/haseq");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: build the distribution first "
                    + "(scripts/with-jdk mvn -B -q -pl it-tests -am verify builds it)");
        }
        return bin;
    }
}
