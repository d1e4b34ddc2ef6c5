package dev.haseq.node.sign;

import dev.haseq.api.SignedHeader;
import dev.haseq.node.chain.CommittedBlock;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Signs committed block headers with the sequencer's Ed25519 key (ARCHITECTURE "Data flow", step 5):
 * the signature is over {@code header.hash()} bytes.
 *
 * <p>Only a {@link CommittedBlock} can be signed, and only the chain package creates those (on the
 * apply path, or from the block store of committed blocks): there is no way to sign a header that
 * was not committed, so a deposed leader cannot double-sign. Ed25519 is deterministic (RFC 8032),
 * so every node with the cluster's key produces the same signature for the same header.
 *
 * <p>Thread-safe.
 */
public final class Signer {
    private final KeyPair keys;

    public Signer(KeyPair keys) {
        if (!"Ed25519".equals(keys.getPrivate().getAlgorithm()) && !"EdDSA".equals(keys.getPrivate().getAlgorithm())) {
            throw new IllegalArgumentException("the sequencer key must be Ed25519, got " + keys.getPrivate().getAlgorithm());
        }
        this.keys = keys;
    }

    public SignedHeader sign(CommittedBlock block) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(block.header().hash().bytes());
            return new SignedHeader(block.header(), s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** True if {@code signed} carries a valid signature by {@code key} over its header's hash. */
    public static boolean verify(SignedHeader signed, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signed.header().hash().bytes());
            return s.verify(signed.signature());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
