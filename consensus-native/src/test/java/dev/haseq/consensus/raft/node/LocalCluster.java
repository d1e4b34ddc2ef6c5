package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.ConsensusContext;
import dev.haseq.api.consensus.ConsensusListener;
import dev.haseq.api.consensus.NotLeaderException;
import dev.haseq.api.consensus.StateMachine;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.testing.FreePorts;
import dev.haseq.consensus.raft.transport.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * N {@link RaftNode}s in this JVM on 127.0.0.1, each with its own raft_dir under {@code base}
 * and in-memory storage ({@link MemDisk}) unless a storage factory is given. Nodes can be
 * halted (crash-like), closed (graceful) and restarted on the same directory.
 */
final class LocalCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Selects the stores the cluster tests run on: {@code mem} (default, the in-memory double) or
     * a provider name ServiceLoader finds ({@code file}, {@code chronicle}) when that module is on
     * the test path.
     */
    static final String STORE_PROPERTY = "haseq.raft.test.store";

    final int size;
    final List<NodeId> ids = new ArrayList<>();
    final List<Integer> ports;
    final Path base;
    final StorageKit storage;
    final RaftNode[] nodes;
    final StateMachine[] machines;
    private final java.util.function.IntFunction<StateMachine> machineFactory;
    final List<CountingListener> listeners = new ArrayList<>();
    private final Map<String, String> extra;

    LocalCluster(int size, Path base, Map<String, String> extraSettings) {
        this(size, base, extraSettings, StorageKit.named(System.getProperty(STORE_PROPERTY, "mem")),
                i -> new RecordingStateMachine());
    }

    LocalCluster(int size, Path base, Map<String, String> extraSettings, StorageKit storage,
                 java.util.function.IntFunction<StateMachine> machineFactory) {
        this.size = size;
        this.storage = storage;
        this.machineFactory = machineFactory;
        this.base = base;
        this.extra = extraSettings;
        this.ports = FreePorts.pick(size);
        this.nodes = new RaftNode[size];
        this.machines = new StateMachine[size];
        for (int i = 0; i < size; i++) {
            ids.add(NodeId.of("node-" + (i + 1)));
            listeners.add(new CountingListener());
        }
    }

    /** Timings roomy enough for five nodes sharing two busy cores. */
    /**
     * The guide's formulas for RTT_MAX 50 ms: short enough for quick elections, long enough that a
     * leader on a starved 2-core CI machine does not lose its lease (75 ms did, now and then).
     */
    static Map<String, String> testTimings() {
        Map<String, String> m = new HashMap<>();
        m.put(RaftSettings.HEARTBEAT_TIMEOUT, "200ms");
        m.put(RaftSettings.ELECTION_TIMEOUT, "800ms");
        m.put(RaftSettings.LEADER_LEASE_TIMEOUT, "100ms");
        m.put(RaftSettings.SEND_TIMEOUT, "100ms");
        return m;
    }

    Path raftDir(int i) {
        return base.resolve(ids.get(i).value());
    }

    RaftSettings settings(int i) {
        Map<String, String> m = new HashMap<>(extra);
        m.put("node.aggregator", "true");
        m.put(RaftSettings.ENABLE, "true");
        m.put(RaftSettings.NODE_ID, ids.get(i).value());
        m.put(RaftSettings.RAFT_ADDR, "127.0.0.1:" + ports.get(i));
        m.put(RaftSettings.RAFT_DIR, raftDir(i).toString());
        List<String> peers = new ArrayList<>();
        for (int j = 0; j < size; j++) {
            if (j != i) {
                peers.add(ids.get(j) + "@127.0.0.1:" + ports.get(j));
            }
        }
        m.put(RaftSettings.PEERS, String.join(",", peers));
        return RaftSettings.parse(m, base).orThrow();
    }

    ConsensusContext context(int i, RaftSettings s, StateMachine sm) {
        return new ConsensusContext(s, sm, storage.log(), storage.stable(), storage.snapshots(),
                StorageEvents.NONE, listeners.get(i), Clock.systemUTC());
    }

    RaftNode start(int i) {
        machines[i] = machineFactory.apply(i);
        nodes[i] = new RaftNode(context(i, settings(i), machines[i]), new SplittableRandom(31L * i + 7));
        nodes[i].start();
        return nodes[i];
    }

    void startAll() {
        for (int i = 0; i < size; i++) {
            start(i);
        }
    }

    /** Crash-like stop: no leadership transfer, unsynced log appends lost. */
    void halt(int i) {
        nodes[i].halt();
        storage.crash().accept(raftDir(i));
    }

    void closeNode(int i) {
        nodes[i].close();
    }

    boolean running(int i) {
        return nodes[i] != null && nodes[i].failure().isEmpty() && nodes[i].isStartedAndOpen();
    }

    /** Waits until exactly one running node leads and every running node knows it; returns its index. */
    int awaitLeader() {
        int[] found = {-1};
        Await.until(WAIT, "one leader known to every running node", () -> {
            int leader = -1;
            for (int i = 0; i < size; i++) {
                if (running(i) && nodes[i].isLeader()) {
                    if (leader >= 0) {
                        return false;
                    }
                    leader = i;
                }
            }
            if (leader < 0) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                if (running(i) && !nodes[i].leader().equals(Optional.of(ids.get(leader)))) {
                    return false;
                }
            }
            found[0] = leader;
            return true;
        });
        return found[0];
    }

    /**
     * Proposes through whoever leads until committed and applied there, exactly once: after a
     * NotLeader or a timeout the entry may still have committed (the contract allows it), so
     * before retrying it asks the current leader, after a barrier, whether it already applied it.
     * Entries must therefore be unique strings, and the state machines {@link RecordingStateMachine}s.
     */
    Committed propose(String entry) {
        byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            int leader = awaitLeader();
            try {
                return nodes[leader].propose(bytes).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof NotLeaderException)) {
                    throw new CompletionException(e.getCause());
                }
                last = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (TimeoutException e) {
                last = e;
            }
            Optional<Long> done = appliedOnLeader(entry);
            if (done.isPresent()) {
                return new Committed(done.get(), 0, new byte[0]);
            }
        }
        throw new AssertionError("proposal did not commit within " + WAIT, last);
    }

    private Optional<Long> appliedOnLeader(String entry) {
        for (int attempt = 0; attempt < 5; attempt++) {
            int leader = awaitLeader();
            try {
                nodes[leader].barrier().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return rec(leader).indexOf(entry);
            } catch (ExecutionException | TimeoutException e) {
                // leadership moved again: ask the next leader
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Optional.empty();
    }

    /** Waits until every running node's state machine holds exactly {@code expected}. */
    void awaitReplicated(List<String> expected) {
        for (int i = 0; i < size; i++) {
            if (running(i)) {
                awaitReplicated(i, expected);
            }
        }
    }

    void awaitReplicated(int i, List<String> expected) {
        Await.until(WAIT, ids.get(i) + " applied " + expected.size() + " entries",
                () -> rec(i).size() >= expected.size());
        org.assertj.core.api.Assertions.assertThat(rec(i).entries()).as(ids.get(i) + "'s state machine")
                .isEqualTo(expected);
    }

    /** The state machine of node {@code i}, for clusters built with the default (recording) machines. */
    RecordingStateMachine rec(int i) {
        return (RecordingStateMachine) machines[i];
    }

    static <T> T await(Supplier<java.util.concurrent.CompletableFuture<T>> call) throws Exception {
        return call.get().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        for (RaftNode n : nodes) {
            if (n != null) {
                n.halt();
            }
        }
    }

    /** Counts consensus events, for assertions on the listener hooks. */
    static final class CountingListener implements ConsensusListener {
        final java.util.concurrent.atomic.AtomicInteger leaderChanges = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger elections = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger snapshotsTaken = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger snapshotsInstalled = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger snapshotsSent = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void leaderChanged(long term, Optional<NodeId> leader, boolean self) {
            leaderChanges.incrementAndGet();
        }

        @Override
        public void electionStarted(long term, boolean preVote) {
            elections.incrementAndGet();
        }

        @Override
        public void snapshotTaken(long index, long term) {
            snapshotsTaken.incrementAndGet();
        }

        @Override
        public void snapshotInstalled(long index, long term) {
            snapshotsInstalled.incrementAndGet();
        }

        @Override
        public void snapshotSent(NodeId peer, long index) {
            snapshotsSent.incrementAndGet();
        }

        final java.util.concurrent.atomic.AtomicInteger snapshotSendsFinished = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger snapshotSendFailures = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger snapshotReceivesStarted = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void snapshotSendFinished(NodeId peer, long index) {
            snapshotSendsFinished.incrementAndGet();
        }

        @Override
        public void snapshotSendFailed(NodeId peer, long index) {
            snapshotSendFailures.incrementAndGet();
        }

        @Override
        public void snapshotReceiveStarted(long index, long term) {
            snapshotReceivesStarted.incrementAndGet();
        }

        final java.util.List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void failed(Throwable cause) {
            failures.add(cause);
        }
    }
}
