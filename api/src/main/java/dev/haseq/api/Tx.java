package dev.haseq.api;

import java.util.Arrays;

/** A transaction: opaque bytes that the {@code Executor} interprets. Immutable. */
public record Tx(byte[] data) {

    public Tx {
        if (data == null) {
            throw new IllegalArgumentException("tx data is null");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }

    /** SHA-256 of the bytes: the transaction's identity (mempool de-duplication, {@code GET /tx/{hash}}). */
    public Hash hash() {
        return Hash.sha256(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tx t && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tx[" + data.length + " bytes]";
    }
}
