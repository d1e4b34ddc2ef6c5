package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.consensus.Role;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the core produced for the driver since the last {@link Ready}, and the bookkeeping of the
 * Readys handed out: their sequence, which were advanced, and the soft and hard state each last
 * reported. Owned by {@link RaftCore}.
 */
final class Outbox {
    // Buffers reused across Readys: each Ready takes an immutable copy (none when empty).
    final ArrayList<Message> messages = new ArrayList<>();
    final ArrayList<Message> messagesAfterPersist = new ArrayList<>();
    final ArrayList<CoreEvent> events = new ArrayList<>();
    final ArrayList<Ready.SnapshotWrite> snapshotWrites = new ArrayList<>();
    final ArrayList<Ready.SnapshotRead> snapshotReads = new ArrayList<>();
    SnapshotMeta pendingInstall;
    long pendingCompact = Ready.NONE;
    long lastCompact;

    private long readySequence;
    private long advancedSequence;
    /** Sequence of the Ready carrying an install not yet advanced (0: none, -1: not yet handed out). */
    private long installReadySequence;

    // what the last Ready reported
    private long reportedTerm;
    private NodeId reportedVote;
    private Role reportedRole;
    private NodeId reportedLeader;
    private long reportedSoftTerm;

    Outbox(long term, NodeId vote, Role role) {
        reportedTerm = term;
        reportedVote = vote;
        reportedRole = role;
        reportedSoftTerm = term;
    }

    boolean hasOutput(Role role, long term, NodeId vote, NodeId leader, RaftLog log) {
        return !messages.isEmpty() || !messagesAfterPersist.isEmpty() || log.hasUnhandedEntries()
                || log.hasUnappliedCommitted() || term != reportedTerm || !Objects.equals(vote, reportedVote)
                || role != reportedRole || !Objects.equals(leader, reportedLeader) || term != reportedSoftTerm
                || !events.isEmpty() || !snapshotWrites.isEmpty() || !snapshotReads.isEmpty() || pendingInstall != null
                || pendingCompact != Ready.NONE || log.hasPendingTruncate();
    }

    Ready take(Role role, long term, NodeId vote, NodeId leader, RaftLog log, long maxCommittedBytes) {
        Optional<SoftState> soft = Optional.empty();
        if (role != reportedRole || !Objects.equals(leader, reportedLeader) || term != reportedSoftTerm) {
            reportedRole = role;
            reportedLeader = leader;
            reportedSoftTerm = term;
            soft = Optional.of(new SoftState(role, term, Optional.ofNullable(leader)));
        }
        Optional<TermAndVote> hard = Optional.empty();
        if (term != reportedTerm || !Objects.equals(vote, reportedVote)) {
            reportedTerm = term;
            reportedVote = vote;
            hard = Optional.of(new TermAndVote(term, Optional.ofNullable(vote)));
        }
        Optional<SnapshotMeta> install = Optional.ofNullable(pendingInstall);
        pendingInstall = null;
        long truncate = log.takePendingTruncate();
        long compact = pendingCompact;
        if (compact != Ready.NONE) {
            log.compactTo(compact);
            lastCompact = Math.max(lastCompact, compact);
            pendingCompact = Ready.NONE;
        }
        List<LogEntry> entries = log.takeEntriesToPersist();
        boolean mustSync = hard.isPresent() || !entries.isEmpty() || install.isPresent();
        List<LogEntry> committed = log.takeCommittedToApply(maxCommittedBytes);
        readySequence++;
        if (install.isPresent()) {
            installReadySequence = readySequence;
        }
        Ready rd = new Ready(readySequence, soft, hard, snapshotWrites, install, truncate, compact, entries, mustSync,
                messages, messagesAfterPersist, committed, snapshotReads, events);
        messages.clear();
        messagesAfterPersist.clear();
        events.clear();
        snapshotWrites.clear();
        snapshotReads.clear();
        return rd;
    }

    /** Checks and records that {@code ready} was carried out. */
    void advanced(Ready ready) {
        if (ready.sequence() != advancedSequence + 1) {
            throw new IllegalStateException("Readys must be advanced in order: expected Ready #"
                    + (advancedSequence + 1) + ", got #" + ready.sequence());
        }
        advancedSequence++;
        if (installReadySequence > 0 && advancedSequence >= installReadySequence) {
            installReadySequence = 0;
        }
    }

    void install(SnapshotMeta meta) {
        pendingInstall = meta;
        pendingCompact = Math.max(pendingCompact, meta.index());
        installReadySequence = -1;
    }

    /** A received snapshot is not yet restored by the driver. */
    boolean installPending() {
        return installReadySequence != 0;
    }
}
