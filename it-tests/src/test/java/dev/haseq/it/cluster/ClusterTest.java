package dev.haseq.it.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the multi-process cluster tests: a fresh directory per test and a {@link LocalCluster}
 * that is always closed (every process killed) after the test, pass or fail.
 */
abstract class ClusterTest {
    @TempDir
    Path dir;

    LocalCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
