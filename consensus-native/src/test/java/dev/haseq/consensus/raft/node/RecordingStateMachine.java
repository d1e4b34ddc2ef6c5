package dev.haseq.consensus.raft.node;

import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.api.consensus.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A state machine that remembers every entry applied (so tests can compare replicas entry by
 * entry), refuses entries starting with "reject", and snapshots its whole list. Reads are
 * thread-safe.
 */
final class RecordingStateMachine implements StateMachine {
    private final List<String> entries = new ArrayList<>();
    private final java.util.Map<String, Long> indexes = new java.util.HashMap<>();
    private long lastIndex;
    private int restores;

    @Override
    public synchronized byte[] apply(long index, byte[] entry) throws RejectedEntryException {
        String s = new String(entry, StandardCharsets.UTF_8);
        if (index <= lastIndex) {
            throw new IllegalStateException("entry " + index + " applied twice (last applied " + lastIndex + ")");
        }
        lastIndex = index;
        if (s.startsWith("reject")) {
            throw new RejectedEntryException("refused '" + s + "'");
        }
        entries.add(s);
        indexes.put(s, index);
        return ByteBuffer.allocate(8).putLong(entries.size()).array();
    }

    @Override
    public synchronized void snapshot(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeLong(lastIndex);
        d.writeInt(entries.size());
        for (String e : entries) {
            d.writeUTF(e);
            d.writeLong(indexes.get(e));
        }
        d.flush();
    }

    @Override
    public synchronized void restore(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        lastIndex = d.readLong();
        int n = d.readInt();
        entries.clear();
        indexes.clear();
        for (int i = 0; i < n; i++) {
            String e = d.readUTF();
            entries.add(e);
            indexes.put(e, d.readLong());
        }
        restores++;
    }

    /** The index {@code entry} was applied at (the last time, if applied more than once). */
    synchronized java.util.Optional<Long> indexOf(String entry) {
        return java.util.Optional.ofNullable(indexes.get(entry));
    }

    synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized int restores() {
        return restores;
    }
}
