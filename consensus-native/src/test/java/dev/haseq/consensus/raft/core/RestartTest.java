package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import dev.haseq.consensus.raft.core.Message.VoteRequest;
import dev.haseq.consensus.raft.core.Message.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestartTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");
    private static final CoreConfig CONFIG = new CoreConfig(A, List.of(B, C), 10, 1, 30, 5, 4, 1 << 20, 8, 64, 0, 100,
            1 << 20);

    private static InMemoryLog log(long... terms) {
        InMemoryLog log = new InMemoryLog();
        List<LogEntry> es = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            es.add(new LogEntry(i + 1, terms[i], new byte[] {(byte) i}));
        }
        log.append(es);
        return log;
    }

    private static RaftCore core(TermAndVote hard, InMemoryLog log, Optional<SnapshotMeta> snap) {
        return new RaftCore(CONFIG, hard, log, snap, new SplittableRandom(1));
    }

    @Test
    void restartedNodeKeepsItsVoteForTheTerm() {
        RaftCore core = core(new TermAndVote(5, Optional.of(B)), log(1, 2), Optional.empty());
        for (int i = 0; i < 10; i++) {
            core.setCatchingUp(true);
            core.tick(); // past the start-up protection, without campaigning
        }
        core.step(new VoteRequest(C, A, 5, 2, 2, false));
        core.step(new VoteRequest(B, A, 5, 2, 2, false));
        Ready rd = core.ready();

        assertThat(rd.messagesAfterPersist()).map(m -> (VoteResponse) m)
                .extracting(VoteResponse::from, VoteResponse::to, VoteResponse::granted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, C, false),
                        org.assertj.core.groups.Tuple.tuple(A, B, true));
        assertThat(core.term()).isEqualTo(5);
    }

    @Test
    void restartStartsWithTheSnapshotAsCommitted() {
        RaftCore core = core(new TermAndVote(2, Optional.empty()), log(1, 1, 2, 2), Optional.of(SnapshotMeta.of(3, 2)));
        assertThat(core.commitIndex()).isEqualTo(3);
        assertThat(core.appliedIndex()).isEqualTo(3);
        assertThat(core.lastIndex()).isEqualTo(4);
        assertThat(core.snapshotIndex()).isEqualTo(3);
    }

    @Test
    void logThatDisagreesWithTheSnapshotIsDroppedAtStart() {
        // A crash between committing a received snapshot (index 3, term 3) and resetting the log.
        RaftCore core = core(new TermAndVote(3, Optional.empty()), log(1, 1, 2, 2), Optional.of(SnapshotMeta.of(3, 3)));
        Ready rd = core.ready();

        assertThat(rd.truncateAfter()).isEqualTo(3);
        assertThat(rd.compactUpTo()).isEqualTo(3);
        assertThat(core.lastIndex()).isEqualTo(3);
        assertThat(core.firstIndex()).isEqualTo(4);
    }

    @Test
    void logThatStartsAfterTheSnapshotIsRefusedWithTheFix() {
        InMemoryLog gap = log(1, 1, 1, 1, 1, 1);
        gap.compactPrefix(4);
        assertThatThrownBy(() -> core(TermAndVote.INITIAL, gap, Optional.of(SnapshotMeta.of(2, 1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("entries 3..4 are missing")
                .hasMessageContaining("do not belong together");
    }

    @Test
    void singleMemberClusterElectsItselfAndCommitsOnItsOwnDurableWrite() {
        CoreConfig solo = new CoreConfig(A, List.of(), 10, 1, 30, 5, 4, 1 << 20, 8, 64, 0, 100, 1 << 20);
        InMemoryLog log = new InMemoryLog();
        RaftCore core = new RaftCore(solo, TermAndVote.INITIAL, log, Optional.empty(), new SplittableRandom(3));
        for (int i = 0; i < 20 && !core.isLeader(); i++) {
            core.tick();
        }
        assertThat(core.isLeader()).isTrue();
        Proposal p = core.propose(new byte[] {42});
        Ready first = core.ready();
        assertThat(first.entries()).hasSize(2);
        assertThat(first.committedEntries()).as("nothing is committed before it is durable").isEmpty();
        log.append(first.entries());
        core.advance(first);

        Ready second = core.ready();
        assertThat(second.committedEntries()).extracting(LogEntry::index).containsExactly(1L, p.index());
        assertThat(core.hasValidLease()).isTrue();
    }
}
