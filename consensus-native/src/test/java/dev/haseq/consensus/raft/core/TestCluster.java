package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * A tiny deterministic cluster for focused tests: Readys are persisted at once (unless a node's
 * persistence is paused), messages are delivered in FIFO order when {@link #deliver} is called,
 * and a filter decides which messages get lost.
 */
final class TestCluster {
    static final int HEARTBEAT = 10;
    static final int ELECTION = 30;
    static final int LEASE = 5;
    static final int SEND = 4;

    final Map<NodeId, Node> nodes = new LinkedHashMap<>();
    final ArrayDeque<Message> network = new ArrayDeque<>();
    final List<Message> sent = new ArrayList<>();
    Predicate<Message> drop = m -> false;

    final class Node {
        final NodeId id;
        final CoreConfig config;
        RaftCore core;
        final InMemoryLog log = new InMemoryLog();
        TermAndVote hard = TermAndVote.INITIAL;
        final List<LogEntry> applied = new ArrayList<>();
        final List<CoreEvent> events = new ArrayList<>();
        final List<Ready> readies = new ArrayList<>();
        final List<Ready.SnapshotRead> snapshotReads = new ArrayList<>();
        final List<Ready.SnapshotWrite> snapshotWrites = new ArrayList<>();
        /** Readys handed out but not yet persisted (while {@link #paused}). */
        final ArrayDeque<Ready> unpersisted = new ArrayDeque<>();
        boolean paused;
        boolean down;
        byte[] snapshot;
        SnapshotMeta snapshotMeta;

        Node(NodeId id, CoreConfig config) {
            this.id = id;
            this.config = config;
            this.core = new RaftCore(config, hard, log, Optional.empty(), new SplittableRandom(id.hashCode()));
        }

        /** Takes every Ready; persists them at once unless paused. */
        void drain() {
            if (down) {
                return;
            }
            for (int guard = 0; core.hasReady(); guard++) {
                if (guard > 1000) {
                    throw new AssertionError(id + " never runs out of Readys");
                }
                Ready rd = core.ready();
                readies.add(rd);
                events.addAll(rd.events());
                snapshotReads.addAll(rd.snapshotReads());
                sendAll(rd.messages());
                unpersisted.add(rd);
                if (!paused) {
                    persistAll();
                }
            }
        }

        void persistAll() {
            while (!unpersisted.isEmpty()) {
                Ready rd = unpersisted.poll();
                rd.hardState().ifPresent(h -> hard = h);
                snapshotWrites.addAll(rd.snapshotWrites());
                if (rd.truncateAfter() != Ready.NONE) {
                    log.truncateSuffix(rd.truncateAfter());
                }
                if (rd.compactUpTo() != Ready.NONE) {
                    log.compactPrefix(rd.compactUpTo());
                }
                log.append(rd.entries());
                sendAll(rd.messagesAfterPersist());
                applied.addAll(rd.committedEntries());
                core.advance(rd);
            }
        }

        void tick(int n) {
            for (int i = 0; i < n; i++) {
                core.tick();
                drain();
            }
        }

        /** Takes a snapshot at the applied index, of {@code size} bytes, and reports it. */
        void takeSnapshot(int size) {
            LogEntry last = applied.get(applied.size() - 1);
            snapshot = new byte[size];
            new SplittableRandom(last.index()).nextBytes(snapshot);
            snapshotMeta = new SnapshotMeta(last.index(), last.term(), size);
            core.snapshotTaken(last.index(), last.term());
            drain();
        }

        /** Answers the pending snapshot reads from {@link #snapshot}. */
        void serveSnapshotReads() {
            List<Ready.SnapshotRead> reads = new ArrayList<>(snapshotReads);
            snapshotReads.clear();
            for (Ready.SnapshotRead r : reads) {
                int len = (int) Math.min(r.maxBytes(), snapshot.length - r.offset());
                byte[] data = java.util.Arrays.copyOfRange(snapshot, (int) r.offset(), (int) r.offset() + len);
                core.snapshotChunkRead(new SnapshotChunk(r.peer(), snapshotMeta.index(), snapshotMeta.term(),
                        snapshot.length, crc(snapshot), r.offset(), data));
            }
            drain();
        }

        boolean isLeader() {
            return core.isLeader();
        }

        <T extends CoreEvent> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    TestCluster(int n) {
        this(n, 1 << 20, 8, 64, 5);
    }

    TestCluster(int n, long maxBytes, int inflight, int chunk, long trailing) {
        List<NodeId> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(NodeId.of("n" + i));
        }
        for (NodeId id : ids) {
            List<NodeId> peers = new ArrayList<>(ids);
            peers.remove(id);
            CoreConfig cfg = new CoreConfig(id, peers, HEARTBEAT, 1, ELECTION, LEASE, SEND, maxBytes, inflight, chunk,
                    trailing, 100, 1 << 20);
            nodes.put(id, new Node(id, cfg));
        }
    }

    Node node(String id) {
        return nodes.get(NodeId.of(id));
    }

    void sendAll(List<Message> ms) {
        sent.addAll(ms);
        network.addAll(ms);
    }

    /** Delivers queued messages (and what they cause) until the network is quiet. */
    void deliver() {
        for (int guard = 0; !network.isEmpty(); guard++) {
            if (guard > 100_000) {
                throw new AssertionError("messages never stop flowing");
            }
            Message m = network.poll();
            Node to = nodes.get(m.to());
            if (drop.test(m) || to.down || nodes.get(m.from()).down) {
                continue;
            }
            to.core.step(m);
            to.drain();
        }
    }

    /** Ticks every live node once and delivers, {@code n} times. */
    void tickAll(int n) {
        for (int i = 0; i < n; i++) {
            for (Node node : nodes.values()) {
                if (!node.down) {
                    node.core.tick();
                    node.drain();
                }
            }
            deliver();
        }
    }

    /** Ticks {@code id} until it starts an election, then lets everything settle; returns it. */
    Node elect(String id) {
        Node n = node(id);
        // Let the others' start-up vote protection (one heartbeat timeout) pass without them campaigning.
        for (Node other : nodes.values()) {
            if (other != n && !other.down) {
                other.core.setCatchingUp(true);
                other.tick(HEARTBEAT);
                other.core.setCatchingUp(false);
            }
        }
        for (int i = 0; i < 3 * ELECTION && !n.isLeader(); i++) {
            n.core.tick();
            n.drain();
            deliver();
        }
        if (!n.isLeader()) {
            throw new AssertionError(id + " did not become leader");
        }
        deliver();
        return n;
    }

    Optional<Node> leader() {
        return nodes.values().stream().filter(n -> !n.down && n.isLeader()).findFirst();
    }

    /** Cuts every link to and from {@code id}. */
    void isolate(String id) {
        NodeId x = NodeId.of(id);
        drop = drop.or(m -> m.from().equals(x) || m.to().equals(x));
    }

    void heal() {
        drop = m -> false;
    }

    static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }
}
