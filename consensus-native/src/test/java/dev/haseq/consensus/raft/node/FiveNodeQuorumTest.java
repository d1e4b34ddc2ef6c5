package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.consensus.Committed;
import dev.haseq.api.consensus.NotLeaderException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiveNodeQuorumTest {
    @TempDir
    Path dir;

    @Test
    void fiveNodesCommitWithTwoDownStopWithThreeDownAndResumeWhenOneReturns() throws Exception {
        try (LocalCluster c = new LocalCluster(5, dir, LocalCluster.testTimings())) {
            c.startAll();
            int leader = c.awaitLeader();
            List<String> expected = new ArrayList<>(List.of("all-up"));
            c.propose("all-up");

            // two followers down: 3 of 5 remain, a quorum
            List<Integer> down = new ArrayList<>();
            for (int i = 0; i < 5 && down.size() < 2; i++) {
                if (i != leader) {
                    c.halt(i);
                    down.add(i);
                }
            }
            c.propose("two-down");
            expected.add("two-down");
            c.awaitReplicated(expected);

            // a third node down (the leader too, for good measure): 2 of 5 cannot commit
            c.halt(leader);
            down.add(leader);
            List<Integer> up = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                if (!down.contains(i)) {
                    up.add(i);
                }
            }
            // Whatever either survivor does, nothing commits: a proposal fails or stays pending.
            List<CompletableFuture<Committed>> attempts = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                for (int i : up) {
                    attempts.add(c.nodes[i].propose("no-quorum".getBytes()));
                }
                Thread.sleep(200);
            }
            for (CompletableFuture<Committed> f : attempts) {
                if (f.isDone()) {
                    assertThat(f).isCompletedExceptionally();
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(NotLeaderException.class);
                    }
                }
            }
            for (int i : up) {
                assertThat(c.rec(i).entries()).isEqualTo(expected);
            }

            // one comes back: quorum again
            c.start(down.get(0));
            Committed resumed = c.propose("resumed");
            assertThat(resumed.index()).isPositive();
            expected.add("resumed");
            List<String> applied = c.rec(c.awaitLeader()).entries();
            assertThat(applied).startsWith("all-up", "two-down").endsWith("resumed");
            // a pending "no-quorum" proposal may legitimately commit once quorum is back
            assertThat(applied.stream().filter(e -> !e.equals("no-quorum")).toList()).isEqualTo(expected);
        }
    }
}
