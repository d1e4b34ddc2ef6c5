package dev.haseq.node.sign;

import static dev.haseq.node.testing.Blocks.entry;
import static dev.haseq.node.testing.Blocks.next;
import static dev.haseq.node.testing.Blocks.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.SignedHeader;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.node.chain.ChainHead;
import dev.haseq.node.chain.ChainListener;
import dev.haseq.node.chain.ChainStateMachine;
import dev.haseq.node.chain.CommittedBlock;
import dev.haseq.node.exec.KvExecutor;
import dev.haseq.node.testing.Blocks;
import dev.haseq.node.testing.InMemoryBlockStore;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerTest {
    @TempDir
    Path dir;

    private final InMemoryBlockStore store = new InMemoryBlockStore();
    private final ChainStateMachine chain = new ChainStateMachine(store, new KvExecutor());

    private CommittedBlock commitOne() throws RejectedEntryException {
        List<CommittedBlock> seen = new ArrayList<>();
        chain.addListener(new ChainListener() {
            @Override
            public void blockApplied(long index, CommittedBlock block, ChainHead head) {
                seen.add(block);
            }
        });
        chain.apply(1, entry(next(chain.head(), set("a", "1"))));
        return seen.get(0);
    }

    @Test
    void createsAnOwnerOnlyPkcs8KeyFileAndLoadsTheSamePairBack() throws Exception {
        Path file = dir.resolve("keys/sequencer.key");
        KeyPair created = KeyFile.create(file, new SecureRandom());
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(Files.readAllBytes(file)).isEqualTo(created.getPrivate().getEncoded());
        assertThat(created.getPrivate().getFormat()).isEqualTo("PKCS#8");

        KeyPair loaded = KeyFile.load(file);
        assertThat(loaded.getPrivate().getEncoded()).isEqualTo(created.getPrivate().getEncoded());
        assertThat(loaded.getPublic().getEncoded()).isEqualTo(created.getPublic().getEncoded());
        assertThat(KeyFile.loadOrCreate(file, new SecureRandom()).getPublic()).isEqualTo(created.getPublic());
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("sequencer.key");
        }
    }

    @Test
    void neverOverwritesAnExistingKey() throws Exception {
        Path file = dir.resolve("k");
        KeyPair first = KeyFile.create(file, new SecureRandom());
        assertThatThrownBy(() -> KeyFile.create(file, new SecureRandom())).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(KeyFile.load(file).getPublic()).isEqualTo(first.getPublic());
    }

    @Test
    void aMissingOrCorruptKeyFileIsAClearError() throws Exception {
        assertThatThrownBy(() -> KeyFile.load(dir.resolve("absent"))).isInstanceOf(IOException.class)
                .hasMessageContaining("absent").hasMessageContaining("cannot read");
        Path bad = dir.resolve("bad");
        Files.write(bad, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> KeyFile.load(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a PKCS#8 Ed25519 private key");
    }

    @Test
    void signaturesOfCommittedHeadersVerifyAndAreIdenticalOnEveryNodeWithTheClusterKey() throws Exception {
        Path file = dir.resolve("cluster.key");
        KeyFile.create(file, new SecureRandom());
        Signer nodeA = new Signer(KeyFile.load(file));
        Signer nodeB = new Signer(KeyFile.load(file));
        CommittedBlock block = commitOne();

        SignedHeader a = nodeA.sign(block);
        SignedHeader b = nodeB.sign(block);
        assertThat(a.header()).isEqualTo(block.header());
        assertThat(a.signature()).hasSize(64).isEqualTo(b.signature());
        assertThat(nodeA.sign(block)).isEqualTo(a);
        assertThat(Signer.verify(a, nodeB.publicKey())).isTrue();

        BlockHeader h = block.header();
        SignedHeader forged = new SignedHeader(new BlockHeader(h.height(), h.timestampNanos() + 1, h.previousHash(),
                h.dataHash(), h.stateRoot(), h.proposer()), a.signature());
        assertThat(Signer.verify(forged, nodeA.publicKey())).isFalse();
        Signer other = new Signer(KeyFile.create(dir.resolve("other.key"), new SecureRandom()));
        assertThat(Signer.verify(a, other.publicKey())).isFalse();
    }

    @Test
    void blocksReadFromTheStoreSignTheSameAsOnTheApplyPath() throws Exception {
        Signer signer = new Signer(KeyFile.create(dir.resolve("k"), new SecureRandom()));
        CommittedBlock applied = commitOne();
        CommittedBlock read = chain.committedBlock(1).orElseThrow();
        assertThat(read).isEqualTo(applied);
        assertThat(signer.sign(read)).isEqualTo(signer.sign(applied));
    }

    /** "Uncommitted headers are never signed" is structural; these checks keep it that way. */
    @Test
    void onlyCommittedBlocksCanBeSignedByConstruction() throws Exception {
        assertThat(CommittedBlock.class.getConstructors()).isEmpty();
        assertThat(Arrays.stream(CommittedBlock.class.getDeclaredConstructors()).noneMatch(
                c -> Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers()))).isTrue();
        assertThat(Modifier.isFinal(CommittedBlock.class.getModifiers())).isTrue();
        for (Method m : Signer.class.getMethods()) {
            if (m.getName().equals("sign")) {
                assertThat(m.getParameterTypes()).containsExactly(CommittedBlock.class);
            }
            for (Class<?> p : m.getParameterTypes()) {
                assertThat(p).isNotIn(BlockHeader.class, Block.class, Hash.class, byte[].class);
            }
        }
    }

    @Test
    void aRejectedEntryNeverBecomesACommittedBlock() throws Exception {
        List<CommittedBlock> seen = new ArrayList<>();
        chain.addListener(new ChainListener() {
            @Override
            public void blockApplied(long index, CommittedBlock block, ChainHead head) {
                seen.add(block);
            }
        });
        Block unlinked = Blocks.withHeader(next(chain.head()), 1, 10, Hash.sha256(new byte[] {9}), Block.dataHashOf(List.of()),
                Hash.ZERO);
        assertThatThrownBy(() -> chain.apply(1, entry(unlinked))).isInstanceOf(RejectedEntryException.class);
        assertThat(seen).isEmpty();
        assertThat(chain.committedBlock(1)).isEmpty();
    }
}
