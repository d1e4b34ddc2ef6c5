package dev.haseq.it.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusContext;
import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.testing.FreePorts;
import dev.haseq.it.cluster.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * N consensus nodes in this JVM, driven only through the api SPIs: each has its own
 * {@code raft_dir} under {@code base}, a free port on 127.0.0.1, a fresh
 * {@link RecordingStateMachine} and {@link RecordingListener} per start (a restart is a new
 * process as far as the state machine knows), and one shared {@link ClusterLedger}.
 *
 * <p>Every wait is bounded by {@code liveness}, a generous upper bound, never a measurement.
 * {@link #close()} crashes whatever still runs (fast, and no test depends on it).
 */
public final class ConsensusCluster implements AutoCloseable {
    private final Backend backend;
    private final Path base;
    private final Duration liveness;
    private final Map<String, String> common;
    private final List<NodeId> ids = new ArrayList<>();
    private final List<Integer> ports;
    private final Map<Integer, Map<String, String>> overrides = new HashMap<>();
    private final ConsensusNode[] nodes;
    private final boolean[] up;
    private final RecordingStateMachine[] machines;
    private final RecordingListener[] listeners;
    private final ClusterLedger ledger = new ClusterLedger();

    /**
     * @param common   settings every node gets (timings, snapshot knobs); a one-member cluster runs
     *                 with {@code raft.enable: false}, as the guide's single sequencer
     * @param liveness upper bound of every wait
     */
    public ConsensusCluster(Backend backend, int size, Path base, Map<String, String> common, Duration liveness) {
        this.backend = backend;
        this.base = base;
        this.common = Map.copyOf(common);
        this.liveness = liveness;
        this.ports = FreePorts.pick(size);
        for (int i = 0; i < size; i++) {
            ids.add(NodeId.of("node-" + (i + 1)));
        }
        nodes = new ConsensusNode[size];
        up = new boolean[size];
        machines = new RecordingStateMachine[size];
        listeners = new RecordingListener[size];
    }

    public int size() {
        return ids.size();
    }

    public NodeId id(int i) {
        return ids.get(i);
    }

    public Path raftDir(int i) {
        return base.resolve(ids.get(i).value());
    }

    /** Node {@code i} as its peers list it. */
    public PeerAddress address(int i) {
        return PeerAddress.parse(ids.get(i) + "@127.0.0.1:" + ports.get(i));
    }

    /** Settings node {@code i} gets from its next start on, on top of the common ones. */
    public void override(int i, Map<String, String> settings) {
        overrides.put(i, Map.copyOf(settings));
    }

    public RaftSettings settings(int i, NodeId as) {
        Map<String, String> m = new HashMap<>(common);
        m.putAll(overrides.getOrDefault(i, Map.of()));
        m.put(RaftSettings.NODE_ID, as.value());
        m.put(RaftSettings.RAFT_ADDR, "127.0.0.1:" + ports.get(i));
        m.put(RaftSettings.RAFT_DIR, raftDir(i).toString());
        m.put(RaftSettings.PROVIDER, backend.provider().name());
        m.put(RaftSettings.LOG_STORE, backend.logStore().name());
        if (size() > 1) {
            m.put(RaftSettings.NODE_AGGREGATOR, "true");
            m.put(RaftSettings.ENABLE, "true");
            List<String> peers = new ArrayList<>();
            for (int j = 0; j < size(); j++) {
                if (j != i) {
                    peers.add(address(j).toString());
                }
            }
            m.put(RaftSettings.PEERS, String.join(",", peers));
        }
        return RaftSettings.parse(m, base).orThrow();
    }

    /** Creates (does not start) a node on node {@code i}'s directory and port, under the id {@code as}. */
    public ConsensusNode create(int i, NodeId as, RecordingStateMachine machine, RecordingListener listener) {
        ConsensusContext ctx = new ConsensusContext(settings(i, as), machine, backend.logStore(),
                backend.stableStore(), backend.snapshotStore(), StorageEvents.NONE, listener, Clock.systemUTC());
        return backend.provider().create(ctx);
    }

    /** Starts node {@code i} (again) on its directory with a new state machine. */
    public ConsensusNode start(int i) {
        return start(i, false);
    }

    /** Starts node {@code i} with a state machine that says it is catching up until told otherwise. */
    public ConsensusNode start(int i, boolean catchingUp) {
        if (up[i]) {
            throw new IllegalStateException(ids.get(i) + " is already running");
        }
        machines[i] = new RecordingStateMachine(ids.get(i), ledger);
        machines[i].catchingUp(catchingUp);
        listeners[i] = new RecordingListener(ids.get(i), ledger);
        nodes[i] = create(i, ids.get(i), machines[i], listeners[i]);
        nodes[i].start();
        up[i] = true;
        return nodes[i];
    }

    public void startAll() {
        for (int i = 0; i < size(); i++) {
            start(i);
        }
    }

    /** Stops node {@code i} abruptly, through the provider's crash hook. */
    public void crash(int i) {
        up[i] = false;
        backend.crash().accept(nodes[i]);
    }

    /** Stops node {@code i} gracefully ({@link ConsensusNode#close()}). */
    public void close(int i) {
        up[i] = false;
        nodes[i].close();
    }

    public boolean up(int i) {
        return up[i];
    }

    public List<Integer> running() {
        return IntStream.range(0, size()).filter(i -> up[i]).boxed().toList();
    }

    public ConsensusNode node(int i) {
        return nodes[i];
    }

    /** The state machine of node {@code i}'s latest start. */
    public RecordingStateMachine machine(int i) {
        return machines[i];
    }

    public RecordingListener listener(int i) {
        return listeners[i];
    }

    public ClusterLedger ledger() {
        return ledger;
    }

    public Duration liveness() {
        return liveness;
    }

    /** Waits until exactly one running node leads and every running node names it; returns it. */
    public int awaitLeader() {
        int[] found = {-1};
        until("one leader that every running node knows and whose barrier completes", () -> {
            int leader = -1;
            for (int i : running()) {
                if (nodes[i].isLeader()) {
                    if (leader >= 0) {
                        return false;
                    }
                    leader = i;
                }
            }
            if (leader < 0) {
                return false;
            }
            for (int i : running()) {
                if (!nodes[i].leader().equals(Optional.of(ids.get(leader)))) {
                    return false;
                }
            }
            // And it really leads: its barrier (which covers its term's no-op) completes. On a
            // loaded machine a fresh leader can still lose its lease and step down; then look again.
            try {
                nodes[leader].barrier().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a leader", e);
            }
            found[0] = leader;
            return true;
        });
        return found[0];
    }

    public CompletableFuture<Committed> propose(int i, String entry) {
        return nodes[i].propose(entry.getBytes(StandardCharsets.UTF_8));
    }

    /** Proposes on node {@code i} and waits for the result (failing the test if it fails). */
    public Committed commitOn(int i, String entry) {
        return get(propose(i, entry), ids.get(i) + " committing '" + entry + "'");
    }

    /**
     * Proposes all of {@code entries} on node {@code i} without waiting in between (one pipeline),
     * then waits for every result, in proposal order.
     */
    public List<Committed> commitAllOn(int i, List<String> entries) {
        List<CompletableFuture<Committed>> futures = entries.stream().map(e -> propose(i, e)).toList();
        List<Committed> out = new ArrayList<>();
        for (int k = 0; k < futures.size(); k++) {
            out.add(get(futures.get(k), ids.get(i) + " committing '" + entries.get(k) + "'"));
        }
        return out;
    }

    /**
     * Commits {@code entry} through whoever leads, exactly once: after a {@link NotLeaderException}
     * or a timeout the entry may still have committed (the contract allows it), so before trying
     * again it asks the current leader, after a barrier, whether it applied it. For progress in
     * tests that are about something else; entries must be unique.
     */
    public void commit(String entry) {
        long deadline = System.nanoTime() + liveness.toNanos();
        Throwable last = null;
        for (int attempt = 0; attempt < 20 && System.nanoTime() < deadline; attempt++) {
            int leader = awaitLeader();
            try {
                propose(leader, entry).get(liveness.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof NotLeaderException)) {
                    throw new AssertionError("committing '" + entry + "' failed", e.getCause());
                }
                last = e.getCause();
            } catch (TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            int now = awaitLeader();
            try {
                nodes[now].barrier().get(liveness.toMillis(), TimeUnit.MILLISECONDS);
                if (machines[now].find(entry).isPresent()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e; // leadership moved again: the next round asks the next leader
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("'" + entry + "' did not commit within " + liveness, last);
    }

    public void commitAll(List<String> entries) {
        entries.forEach(this::commit);
    }

    /** Waits until node {@code i} applied at least as many entries as {@code expected}, then asserts them. */
    public void awaitEntries(int i, List<String> expected) {
        until(ids.get(i) + " applied " + expected.size() + " entries (has " + machines[i].size() + ")",
                () -> machines[i].size() >= expected.size());
        assertThat(machines[i].entries()).as(ids.get(i) + "'s state machine").isEqualTo(expected);
    }

    /** {@link #awaitEntries(int, List)} for every running node. */
    public void awaitEntries(List<String> expected) {
        for (int i : running()) {
            awaitEntries(i, expected);
        }
    }

    /** Waits until the running nodes' state machines hold the same state of at least {@code min} entries. */
    public List<RecordingStateMachine.Applied> awaitSameState(int min) {
        until("every running node holds the same state of >= " + min + " entries", () -> {
            List<Integer> r = running();
            List<RecordingStateMachine.Applied> first = machines[r.getFirst()].state();
            return first.size() >= min && r.stream().allMatch(i -> machines[i].state().equals(first));
        });
        return machines[running().getFirst()].state();
    }

    /** The future's value within the liveness bound; its failure or a timeout fails the test. */
    public <T> T get(CompletableFuture<T> f, String what) {
        try {
            return f.get(liveness.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not finish within " + liveness, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Polls until {@code condition} holds; fails after the liveness bound naming {@code what}. */
    public void until(String what, java.util.function.BooleanSupplier condition) {
        Waits.until(liveness, what, condition);
    }

    /** Crashes every node still running (falls back to close() if the hook fails). */
    @Override
    public void close() {
        for (int i = 0; i < size(); i++) {
            if (up[i]) {
                try {
                    crash(i);
                } catch (RuntimeException e) {
                    nodes[i].close();
                }
            }
        }
    }
}
