package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.TestCluster.Node;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * CPU cost of the core alone: three replicas in one thread, every message encoded and decoded with
 * {@link MessageCodec}, persistence instant. The numbers bound what the core adds to the end-to-end
 * latency and throughput (network and fsync come on top). Run with
 * {@code -Dtest=CoreBenchmark -Dcore.bench=true}.
 */
@EnabledIfSystemProperty(named = "core.bench", matches = "true")
class CoreBenchmark {
    private static final int PAYLOAD = 1024;

    private final ArrayDeque<byte[]> wire = new ArrayDeque<>();
    private TestCluster c;
    private long applied;

    private void pump() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (Node n : c.nodes.values()) {
                while (n.core.hasReady()) {
                    busy = true;
                    Ready rd = n.core.ready();
                    for (Message m : rd.messages()) {
                        wire.add(MessageCodec.encode(m));
                    }
                    rd.hardState().ifPresent(h -> n.hard = h);
                    if (rd.truncateAfter() != Ready.NONE) {
                        n.log.truncateSuffix(rd.truncateAfter());
                    }
                    if (rd.compactUpTo() != Ready.NONE) {
                        n.log.compactPrefix(rd.compactUpTo());
                    }
                    n.log.append(rd.entries());
                    for (Message m : rd.messagesAfterPersist()) {
                        wire.add(MessageCodec.encode(m));
                    }
                    if (n.core.isLeader() && !rd.committedEntries().isEmpty()) {
                        applied = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
                    }
                    n.core.advance(rd);
                }
            }
            while (!wire.isEmpty()) {
                busy = true;
                Message m = MessageCodec.decode(wire.poll());
                c.nodes.get(m.to()).core.step(m);
            }
        }
    }

    @Test
    void sequentialAndPipelinedProposals() {
        c = new TestCluster(3);
        Node leader = c.elect("n1");
        c.tickAll(1);
        byte[] data = new byte[PAYLOAD];
        Arrays.fill(data, (byte) 7);

        // Sequential: one proposal at a time, until the leader applies it.
        int n = 200_000;
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Proposal p = leader.core.propose(data);
            pump();
            lat[i] = System.nanoTime() - t0;
            assertThat(applied).isEqualTo(p.index());
            if (i % 1000 == 0) {
                compact(leader);
            }
        }
        long[] tail = Arrays.copyOfRange(lat, n / 2, n);
        Arrays.sort(tail);
        System.out.printf("core sequential: p50 %.1f us, p99 %.1f us (3 replicas in one thread, codec included)%n",
                tail[tail.length / 2] / 1000.0, tail[tail.length * 99 / 100] / 1000.0);

        // Pipelined: 64 proposals in flight.
        int total = 1_000_000;
        long t0 = System.nanoTime();
        long done = 0;
        long lastProposed = 0;
        for (int proposed = 0; proposed < total; ) {
            while (lastProposed - applied < 64 && proposed < total) {
                lastProposed = leader.core.propose(data).index();
                proposed++;
            }
            pump();
            if (proposed % 10_000 < 64) {
                compact(leader);
            }
        }
        long ns = System.nanoTime() - t0;
        done = total;
        System.out.printf("core pipelined (64 in flight): %.0f entries/s of %d bytes%n", done * 1e9 / ns, PAYLOAD);
        for (Node node : c.nodes.values()) {
            assertThat(node.core.commitIndex()).isEqualTo(leader.core.lastIndex());
        }
    }

    /** Keeps the in-memory logs small: every node snapshots at its applied index. */
    private void compact(Node leader) {
        for (Node node : c.nodes.values()) {
            long idx = node.core.appliedIndex();
            if (idx > node.core.snapshotIndex() + 100) {
                LogEntry e = node.log.entries(idx, idx, 0).get(0);
                node.core.snapshotTaken(e.index(), e.term());
            }
        }
        assertThat(leader.id).isEqualTo(NodeId.of("n1"));
    }
}
