package dev.haseq.it.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.ConsensusNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the consensus conformance suites share: the hooks a provider's test implements, the
 * timings, and the clusters a test builds. After every test all its clusters are crashed and their
 * {@link ClusterLedger}s must be clean: no two leaders in one term, no index applied differently
 * on two nodes (or applied on one and rejected on another), no state machine call out of order or
 * overlapping. See {@code docs/consensus-conformance.md}.
 *
 * <p>Everything goes through the api: the provider and the stores are found by name with
 * {@code ServiceLoader} ({@link Backend#select}), nodes are created from a {@code ConsensusContext}
 * and used as {@code ConsensusNode}s. The one thing the SPI has no method for, an abrupt stop, is
 * the provider's {@link #crash} hook.
 */
public abstract class ConsensusSuite {

    /** {@code raft.provider} of the provider under test. */
    protected abstract String providerName();

    /** {@code raft.log_store} the provider is given. */
    protected abstract String logStoreName();

    /** The stable store the provider is given; {@code file} by default. */
    protected String stableStoreName() {
        return "file";
    }

    /** The snapshot store the provider is given; {@code file} by default. */
    protected String snapshotStoreName() {
        return "file";
    }

    /**
     * Stops a started node the way a crashed process would: no leadership transfer, no message
     * sent after this returns, ports and files released (the suite starts a new node on the same
     * directory and port later). What the node had synced must stay on disk.
     */
    protected abstract void crash(ConsensusNode node);

    /**
     * The timing keys every node gets: the operator guide's formulas for RTT_MAX = 50 ms
     * (heartbeat 4 x RTT, election 4 x heartbeat, lease heartbeat / 2, send 2 x RTT). The suite
     * runs on shared, loaded CI machines, so they are not tighter than that.
     */
    protected Map<String, String> timings() {
        return Map.of(RaftSettings.HEARTBEAT_TIMEOUT, "200ms", RaftSettings.ELECTION_TIMEOUT, "800ms",
                RaftSettings.LEADER_LEASE_TIMEOUT, "100ms", RaftSettings.SEND_TIMEOUT, "100ms");
    }

    /**
     * Timings under which a follower does not start an election on its own for at least
     * {@link #slowDetection()}: the handover test restarts the followers with them, so that only a
     * handover can produce a new leader quickly.
     */
    protected Map<String, String> slowTimings() {
        return Map.of(RaftSettings.HEARTBEAT_TIMEOUT, "20s", RaftSettings.ELECTION_TIMEOUT, "20s",
                RaftSettings.LEADER_LEASE_TIMEOUT, "10s", RaftSettings.SEND_TIMEOUT, "100ms");
    }

    /**
     * Timings for a leader that must not step down on its own during a test (check-quorum with a
     * lease of half a second), within the guide's rules: election = 4 x heartbeat, lease =
     * heartbeat / 2.
     */
    protected Map<String, String> patientTimings() {
        return Map.of(RaftSettings.HEARTBEAT_TIMEOUT, "1s", RaftSettings.ELECTION_TIMEOUT, "4s",
                RaftSettings.LEADER_LEASE_TIMEOUT, "500ms", RaftSettings.SEND_TIMEOUT, "100ms");
    }

    /** The least time after which a follower on {@link #slowTimings()} may start an election. */
    protected Duration slowDetection() {
        return Duration.ofSeconds(20);
    }

    /** The generous upper bound of every wait for something that must happen. */
    protected Duration liveness() {
        return Duration.ofSeconds(30);
    }

    /**
     * How long the suite watches for something that must <em>not</em> happen (a commit without a
     * quorum, an election by a node that is catching up): ten heartbeat timeouts by default.
     */
    protected Duration quietWindow() {
        return Duration.ofSeconds(2);
    }

    @TempDir
    protected Path tmp;

    private final List<ConsensusCluster> clusters = new ArrayList<>();

    protected Backend backend() {
        return Backend.select(providerName(), logStoreName(), stableStoreName(), snapshotStoreName(), this::crash);
    }

    /** A cluster of {@code size} nodes (not started) with {@link #timings()}. */
    protected ConsensusCluster cluster(int size) {
        return cluster(size, Map.of());
    }

    /** A cluster of {@code size} nodes (not started) with {@link #timings()} and {@code extra} settings. */
    protected ConsensusCluster cluster(int size, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(timings());
        settings.putAll(extra);
        Path base;
        try {
            base = Files.createDirectories(tmp.resolve("cluster-" + clusters.size()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ConsensusCluster c = new ConsensusCluster(backend(), size, base, settings, liveness());
        clusters.add(c);
        return c;
    }

    /** {@code prefix-0 .. prefix-(n-1)}. */
    protected static List<String> entries(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + "-" + i);
        }
        return out;
    }

    protected static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The cause a future failed with, within the liveness bound (success or a timeout fails the test). */
    protected Throwable failureOf(CompletableFuture<?> f) {
        try {
            Object value = f.get(liveness().toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("expected a failure within " + liveness() + ", the future is still pending", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code t} and its causes. */
    protected static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable x = t; x != null && out.size() < 20; x = x.getCause()) {
            out.add(x);
        }
        return out;
    }

    /** Sleeps, bounded: for the watches over {@link #quietWindow()}. */
    protected static void pause(Duration d) {
        dev.haseq.it.cluster.Waits.sleep(d);
    }

    @AfterEach
    void crashClustersAndCheckSafety() {
        for (ConsensusCluster c : clusters) {
            c.close();
        }
        for (ConsensusCluster c : clusters) {
            assertThat(c.ledger().violations()).as("safety and state machine contract violations").isEmpty();
        }
    }
}
