package dev.haseq.api.storage;

import java.util.Arrays;

/**
 * One Raft log entry as storage sees it: index, term and opaque data (the consensus provider
 * encodes the entry kind inside {@code data}).
 */
public record LogEntry(long index, long term, byte[] data) {

    public LogEntry {
        if (index < 1) {
            throw new IllegalArgumentException("log indexes start at 1, got " + index);
        }
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
        if (data == null) {
            throw new IllegalArgumentException("data is null");
        }
    }

    /** The data array itself (not copied, for speed on the hot path): callers must not modify it. */
    @Override
    public byte[] data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && index == e.index && term == e.term && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LogEntry[" + index + "@" + term + ", " + data.length + " bytes]";
    }
}
