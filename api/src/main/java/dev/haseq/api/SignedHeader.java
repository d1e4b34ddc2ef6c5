package dev.haseq.api;

import java.util.Arrays;

/** A committed header with the sequencer's Ed25519 signature over {@code header.hash()}. */
public record SignedHeader(BlockHeader header, byte[] signature) {

    public SignedHeader {
        if (header == null || signature == null) {
            throw new IllegalArgumentException("header and signature must not be null");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedHeader s && header.equals(s.header) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(signature);
    }
}
