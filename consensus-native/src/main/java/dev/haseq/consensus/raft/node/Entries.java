package dev.haseq.consensus.raft.node;

import dev.haseq.api.storage.LogEntry;
import java.util.Arrays;

/**
 * How the driver encodes what it proposes inside {@link LogEntry#data()}: one kind byte, then the
 * content. Empty data is the core's own no-op (a new leader's first entry), so every proposal
 * (even an empty one) is non-empty on the log, and later entry kinds (membership changes) have
 * room without a format break.
 */
final class Entries {
    /** A state-machine entry: the bytes given to {@code propose}. */
    static final byte USER = 1;

    private Entries() {
    }

    static byte[] user(byte[] entry) {
        byte[] data = new byte[entry.length + 1];
        data[0] = USER;
        System.arraycopy(entry, 0, data, 1, entry.length);
        return data;
    }

    static boolean isNoop(LogEntry e) {
        return e.data().length == 0;
    }

    /** The state-machine bytes of a {@link #USER} entry. */
    static byte[] userPayload(LogEntry e) {
        byte[] d = e.data();
        if (d[0] != USER) {
            throw new IllegalStateException("log entry " + e.index() + " (term " + e.term() + ") has unknown kind "
                    + d[0] + ": it was written by a newer haseq release; upgrade this node");
        }
        return Arrays.copyOfRange(d, 1, d.length);
    }
}
