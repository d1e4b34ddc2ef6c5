package dev.haseq.api;

import java.security.MessageDigest;
import java.util.List;

/** A block: header plus transactions, in order. Immutable. */
public record Block(BlockHeader header, List<Tx> txs) {

    public Block {
        if (header == null || txs == null) {
            throw new IllegalArgumentException("block header and txs must not be null");
        }
        txs = List.copyOf(txs);
    }

    public long height() {
        return header.height();
    }

    public Hash hash() {
        return header.hash();
    }

    /** True when the header's data hash commits to exactly these transactions. */
    public boolean dataHashMatches() {
        return header.dataHash().equals(dataHashOf(txs));
    }

    /**
     * The data hash of a transaction list: SHA-256 over the count and each transaction's hash, in
     * order. The empty list has its own, non-zero, hash.
     */
    public static Hash dataHashOf(List<Tx> txs) {
        MessageDigest md = Hash.sha256Digest();
        md.update(new byte[] {(byte) (txs.size() >>> 24), (byte) (txs.size() >>> 16),
                (byte) (txs.size() >>> 8), (byte) txs.size()});
        for (Tx tx : txs) {
            md.update(tx.hash().bytes());
        }
        return new Hash(md.digest());
    }
}
