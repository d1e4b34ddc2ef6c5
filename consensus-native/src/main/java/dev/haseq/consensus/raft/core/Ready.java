package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch of work the core hands to the driver: what to persist, send, apply and report. Taken
 * with {@link RaftCore#ready()} and acknowledged, once done, with {@link RaftCore#advance}. Several
 * Readys may be outstanding; the driver must carry them out and advance them <b>in order</b>.
 *
 * <p>The driver handles one Ready in this order:
 * <ol>
 *   <li>send {@link #messages()} at once: they do not depend on this Ready's persistence (the
 *       leader's appends go out while its own disk write runs);</li>
 *   <li>write {@link #snapshotWrites()} (received snapshot chunks) and report each one (see
 *       {@link SnapshotWrite}): {@link RaftCore#snapshotChunkWritten} once written; for the last
 *       chunk, verify size and checksum, commit the snapshot to the snapshot store and report the
 *       result with {@link RaftCore#snapshotReceived}; {@link RaftCore#snapshotWriteFailed} if the
 *       chunk cannot be written where it says;</li>
 *   <li>save {@link #hardState()} durably, if present;</li>
 *   <li>if {@link #installSnapshot()} is present, restore the state machine from that snapshot
 *       (which the driver committed in step 2 of an earlier Ready);</li>
 *   <li>on the log: {@code truncateSuffix(truncateAfter)} if {@link #truncateAfter()} is not
 *       {@link #NONE} and the log holds entries after it; then {@code compactPrefix(compactUpTo)}
 *       if {@link #compactUpTo()} is not {@link #NONE}; then append {@link #entries()}; then
 *       {@code sync()} if {@link #mustSync()};</li>
 *   <li>once this Ready's and every earlier Ready's persistence is durable, send
 *       {@link #messagesAfterPersist()} (votes and acknowledgements, which promise durability);</li>
 *   <li>apply {@link #committedEntries()} in order (an entry with empty data is the leader's
 *       no-op: advance the applied index, do not hand it to the state machine);</li>
 *   <li>{@link RaftCore#advance} this Ready.</li>
 * </ol>
 * {@link #snapshotReads()} ask for snapshot bytes to send to a follower (answer with
 * {@link RaftCore#snapshotChunkRead}); {@link #softState()} and {@link #events()} are reports.
 *
 * @param sequence             1, 2, 3... in the order Readys are handed out
 * @param softState            role/term/leader, when changed since the previous Ready
 * @param hardState            term and vote to save durably, when changed
 * @param snapshotWrites       received snapshot chunks to write, in order
 * @param installSnapshot      a received, committed snapshot to restore the state machine from
 * @param truncateAfter        drop log entries after this index, or {@link #NONE}
 * @param compactUpTo          drop log entries up to this index, or {@link #NONE}
 * @param entries              entries to append (consecutive, starting at {@code truncateAfter + 1}
 *                             when truncating, else at the log's last index + 1)
 * @param mustSync             the log and stable store must be synced before step 6
 * @param messages             send now
 * @param messagesAfterPersist send after persisting
 * @param committedEntries     committed entries to apply, consecutive, after the ones of earlier Readys
 * @param snapshotReads        snapshot bytes to read for followers
 * @param events               reports, in order
 */
public record Ready(long sequence, Optional<SoftState> softState, Optional<TermAndVote> hardState,
                    List<SnapshotWrite> snapshotWrites, Optional<SnapshotMeta> installSnapshot, long truncateAfter,
                    long compactUpTo, List<LogEntry> entries, boolean mustSync, List<Message> messages,
                    List<Message> messagesAfterPersist, List<LogEntry> committedEntries,
                    List<SnapshotRead> snapshotReads, List<CoreEvent> events) {

    /** "No such instruction" for {@link #truncateAfter} and {@link #compactUpTo}. */
    public static final long NONE = -1;

    public Ready {
        Objects.requireNonNull(softState);
        Objects.requireNonNull(hardState);
        Objects.requireNonNull(installSnapshot);
        snapshotWrites = List.copyOf(snapshotWrites);
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
        messagesAfterPersist = List.copyOf(messagesAfterPersist);
        committedEntries = List.copyOf(committedEntries);
        snapshotReads = List.copyOf(snapshotReads);
        events = List.copyOf(events);
    }

    /** Index of the last entry to append, or {@link #NONE}. */
    public long lastEntryIndex() {
        return entries.isEmpty() ? NONE : entries.get(entries.size() - 1).index();
    }

    /** Index of the last committed entry to apply, or {@link #NONE}. */
    public long lastCommittedIndex() {
        return committedEntries.isEmpty() ? NONE : committedEntries.get(committedEntries.size() - 1).index();
    }

    /**
     * A received snapshot chunk for the driver to write. {@code offset == 0} starts a new snapshot
     * (discard any partial one); otherwise the chunk continues the partial snapshot
     * ({@code snapshotIndex}, {@code snapshotTerm}, {@code totalSize}, {@code checksum}) exactly
     * where the previous chunk ended. The core hands out one chunk at a time and acknowledges
     * nothing to the leader until the driver reports on it, exactly once, before carrying out
     * a later Ready's writes:
     * <ul>
     *   <li>not {@code last}, written: {@link RaftCore#snapshotChunkWritten}; the acknowledgement
     *       leaves in a later Ready's {@link #messagesAfterPersist()};</li>
     *   <li>{@code last}, written: check {@code totalSize} and the CRC32C {@code checksum}, commit
     *       the snapshot (or discard it when they do not match) and call
     *       {@link RaftCore#snapshotReceived};</li>
     *   <li>the chunk does not continue what the driver holds (no partial snapshot, e.g. it was
     *       discarded, or a different one, or fewer bytes): {@link RaftCore#snapshotWriteFailed}
     *       with the bytes the driver still holds of this snapshot (0 if none); the leader is told
     *       to resend from there at once.</li>
     * </ul>
     * A storage failure while writing (the snapshot store throws) is the driver's to handle like
     * any other storage failure; it must not be reported as written.
     */
    public record SnapshotWrite(long snapshotIndex, long snapshotTerm, long totalSize, int checksum, long offset,
                                byte[] data, boolean last) {
        /** The array itself, not a copy. */
        @Override
        public byte[] data() {
            return data;
        }
    }

    /**
     * Read up to {@code maxBytes} of the latest local snapshot (expected: {@code snapshotIndex},
     * {@code snapshotTerm}) at {@code offset} for {@code peer}, and pass them to
     * {@link RaftCore#snapshotChunkRead}; if it cannot be read, call
     * {@link RaftCore#snapshotReadFailed}.
     */
    public record SnapshotRead(NodeId peer, long snapshotIndex, long snapshotTerm, long offset, int maxBytes) {
    }
}
