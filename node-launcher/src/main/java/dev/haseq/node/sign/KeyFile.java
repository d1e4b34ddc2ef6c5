package dev.haseq.node.sign;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

/**
 * The sequencer's Ed25519 key on disk: the private key as PKCS#8 DER (the JDK's encoding), file
 * mode 0600. Every node of a cluster uses the same file, so every node signs a committed header
 * identically. The public key is derived from the private key on load.
 */
public final class KeyFile {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int SEED_BYTES = 32;

    private KeyFile() {
    }

    /** Loads the key pair from {@code file}. */
    public static KeyPair load(Path file) throws IOException {
        byte[] der;
        try {
            der = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read signing key " + file + ": " + e.getMessage()
                    + " (create one with KeyFile.create, or copy the cluster's key file here)", e);
        }
        PrivateKey priv;
        try {
            priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("signing key " + file + " is not a PKCS#8 Ed25519 private key: " + e.getMessage(), e);
        }
        return withPublicKey(priv, file);
    }

    /** Loads {@code file}, or creates it with a fresh key (mode 0600) if it does not exist. */
    public static KeyPair loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        try {
            return create(file, random);
        } catch (FileAlreadyExistsException e) {
            return load(file); // another process created it first
        }
    }

    /**
     * Creates a new key file atomically (temp file with mode 0600, then rename) and returns its pair.
     *
     * @throws FileAlreadyExistsException if {@code file} exists: a key is never overwritten
     */
    public static KeyPair create(Path file, SecureRandom random) throws IOException {
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, random);
            pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing signing key");
        }
        Path tmp = Files.createTempFile(dir, ".signing-key", ".tmp", ownerOnly(dir));
        try {
            Files.write(tmp, pair.getPrivate().getEncoded());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return pair;
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) throws IOException {
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    /**
     * The JDK has no API to derive an Ed25519 public key, but its key generator takes the 32-byte
     * private key straight from the random source (RFC 8032 5.1.5): replaying the private key's
     * bytes through it yields the same pair, which we check.
     */
    private static KeyPair withPublicKey(PrivateKey priv, Path file) throws IOException {
        byte[] der = priv.getEncoded();
        byte[] seed = Arrays.copyOfRange(der, der.length - SEED_BYTES, der.length);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new ReplayRandom(seed));
            KeyPair pair = g.generateKeyPair();
            if (!Arrays.equals(pair.getPrivate().getEncoded(), der)) {
                throw new IOException("signing key " + file + " uses an unsupported PKCS#8 layout (expected the "
                        + "JDK's 48-byte Ed25519 encoding without a public key)");
            }
            return new KeyPair(pair.getPublic(), priv);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Hands out exactly the given bytes once; anything else is a misuse. */
    private static final class ReplayRandom extends SecureRandom {
        private final byte[] bytes;
        private boolean used;

        ReplayRandom(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (used || out.length != bytes.length) {
                throw new IllegalStateException("unexpected request for " + out.length + " random bytes");
            }
            used = true;
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
