package dev.haseq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code haseq dev-cluster}: a local cluster that prints its blocks and stops cleanly on SIGTERM. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DevClusterCommandTest {
    @TempDir
    Path dir;

    private Process devCluster;

    @AfterEach
    void killLeftovers() {
        if (devCluster != null && devCluster.isAlive()) {
            devCluster.descendants().forEach(ProcessHandle::destroyForcibly);
            devCluster.destroyForcibly();
        }
    }

    @Test
    void devClusterPrintsBlocksFromThreeNodesAndStopsThemAllOnSigterm() throws Exception {
        int base = freeBase();
        Path out = dir.resolve("dev-cluster.out");
        ProcessBuilder pb = new ProcessBuilder(Distribution.bin().toString(), "dev-cluster", "--nodes", "3",
                "--dir", dir.resolve("cluster").toString(), "--base-port", Integer.toString(base),
                "--block-time", "200ms").redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HASEQ_JAVA_OPTS", NodeProcess.JAVA_OPTS);
        devCluster = pb.start();

        Waits.until(Duration.ofSeconds(120), "dev-cluster prints 10 blocks",
                () -> read(out).lines().filter(l -> l.startsWith("block ")).count() >= 10, () -> read(out));
        String running = read(out);
        assertThat(running).contains("node-1  API http://127.0.0.1:" + (base + 1))
                .contains("node-3  API http://127.0.0.1:" + (base + 3));
        assertThat(running.lines().filter(l -> l.startsWith("block ")).findFirst().orElseThrow())
                .matches("block +1  [0-9a-f]{12}  leader node-[123] +txs 0");
        assertThat(new NodeClient(base + 2).height()).isPositive();

        devCluster.destroy(); // SIGTERM
        assertThat(devCluster.waitFor(60, TimeUnit.SECONDS)).as(read(out)).isTrue();
        assertThat(devCluster.exitValue()).isZero();
        String all = read(out);
        for (int i = 1; i <= 3; i++) {
            assertThat(all).contains("node-" + i + " stopped (exit 0)");
        }
        assertThat(devCluster.descendants().count()).isZero();
        assertThat(dir.resolve("cluster/node-1/config/evnode.yaml")).exists();
        assertThat(dir.resolve("cluster/node-2/config/signer.key"))
                .hasSameBinaryContentAs(dir.resolve("cluster/node-3/config/signer.key"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** A base port whose six ports (API and Raft of three nodes) are free now. */
    private static int freeBase() throws IOException {
        SplittableRandom random = new SplittableRandom();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + random.nextInt(20_000);
            if (free(base + 1) && free(base + 2) && free(base + 3) && free(base + 101) && free(base + 102)
                    && free(base + 103)) {
                return base;
            }
        }
        throw new IOException("no free base port found in 50 attempts");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
