package dev.haseq.consensus.raft.node;

import dev.haseq.api.consensus.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** A benchmark state machine that keeps only a count and a running checksum: applying costs next to nothing. */
final class CountingStateMachine implements StateMachine {
    private final CRC32C crc = new CRC32C();
    private volatile long count;

    @Override
    public byte[] apply(long index, byte[] entry) {
        crc.update(entry);
        count++;
        return new byte[0];
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeLong(count);
        d.writeLong(crc.getValue());
        d.flush();
    }

    @Override
    public void restore(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        count = d.readLong();
        d.readLong();
        crc.reset();
    }

    long count() {
        return count;
    }
}
