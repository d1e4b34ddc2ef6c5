package dev.haseq.launcher.setup;

import dev.haseq.node.sign.KeyFile;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Puts the sequencer's Ed25519 key file in place for a node: a new key, or a copy of the cluster's
 * key (every node of a cluster must sign with the same key). Files are written with mode 0600
 * through a temporary file and a rename, and an existing key is never overwritten.
 */
public final class SignerKeys {
    /** What {@link #install} did. */
    public enum Outcome {
        CREATED, COPIED, KEPT
    }

    private SignerKeys() {
    }

    /**
     * @param target where the node reads its key ({@code node.signer_key})
     * @param source the cluster's key to copy, or null to create a new key when none exists
     * @throws IOException if the source is not an Ed25519 key file, or a different key already
     *                     exists at {@code target}
     */
    public static Outcome install(Path target, Path source, SecureRandom random) throws IOException {
        if (source == null) {
            if (Files.exists(target)) {
                KeyFile.load(target); // an existing file must at least be a key
                return Outcome.KEPT;
            }
            KeyFile.create(target, random);
            return Outcome.CREATED;
        }
        KeyFile.load(source); // refuse anything that is not a key before copying it anywhere
        byte[] bytes = Files.readAllBytes(source);
        try {
            if (Files.exists(target)) {
                byte[] existing = Files.readAllBytes(target);
                boolean same = Arrays.equals(existing, bytes);
                Arrays.fill(existing, (byte) 0);
                if (same) {
                    return Outcome.KEPT;
                }
                throw new FileAlreadyExistsException(target.toString(), source.toString(), "a different signing key "
                        + "already exists at " + target + "; it is never overwritten. Remove it yourself if this "
                        + "node must switch to the key in " + source);
            }
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".signer-key", ".tmp", ownerOnly(dir));
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Outcome.COPIED;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) throws IOException {
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }
}
