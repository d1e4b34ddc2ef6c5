package dev.haseq.node.chain;

import static dev.haseq.node.testing.Blocks.entry;
import static dev.haseq.node.testing.Blocks.next;
import static dev.haseq.node.testing.Blocks.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.Block;
import dev.haseq.api.Hash;
import dev.haseq.api.Tx;
import dev.haseq.api.codec.Envelope;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.node.exec.KvExecutor;
import dev.haseq.node.testing.Blocks;
import dev.haseq.node.testing.InMemoryBlockStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChainStateMachineTest {
    private final InMemoryBlockStore store = new InMemoryBlockStore();
    private final KvExecutor executor = new KvExecutor();
    private final ChainStateMachine chain = new ChainStateMachine(store, executor);
    private long index;

    private byte[] apply(Block b) throws RejectedEntryException {
        return chain.apply(++index, entry(b));
    }

    @Test
    void appliesLinkedBlocksExecutesTxsStoresThemAndAdvancesTheHead() throws Exception {
        Block b1 = next(chain.head(), set("a", "1"));
        byte[] r1 = apply(b1);
        Block b2 = next(chain.head(), set("b", "2"), set("a", "3"));
        apply(b2);

        assertThat(ChainStateMachine.heightOf(r1)).isEqualTo(1);
        ChainHead head = chain.head();
        assertThat(head.height()).isEqualTo(2);
        assertThat(head.hash()).isEqualTo(b2.hash());
        assertThat(head.timestampNanos()).isEqualTo(b2.header().timestampNanos());
        assertThat(head.stateRoot()).isEqualTo(executor.stateRoot()).isNotEqualTo(Hash.ZERO);
        assertThat(executor.get("a")).contains("3");
        assertThat(store.get(1)).contains(b1);
        assertThat(store.get(2)).contains(b2);
    }

    @Test
    void theNextHeaderMustCarryTheStateRootAfterItsParent() throws Exception {
        Block b1 = next(chain.head(), set("a", "1"));
        apply(b1);
        assertThat(b1.header().stateRoot()).isEqualTo(Hash.ZERO); // root after genesis (empty state)
        Block b2 = next(chain.head());
        assertThat(b2.header().stateRoot()).isEqualTo(executor.stateRoot());
        apply(b2);
        assertThat(chain.head().height()).isEqualTo(2);
    }

    enum Breakage {
        HEIGHT_SKIPS(b -> Blocks.withHeader(b, b.height() + 1, ts(b), prev(b), data(b), root(b)), "height"),
        HEIGHT_REPEATS(b -> Blocks.withHeader(b, b.height() - 1, ts(b), prev(b), data(b), root(b)), "height"),
        WRONG_PREVIOUS_HASH(b -> Blocks.withHeader(b, b.height(), ts(b), Hash.sha256(new byte[] {1}), data(b), root(b)),
                "previous hash"),
        SAME_TIMESTAMP(b -> Blocks.withHeader(b, b.height(), 5_000, prev(b), data(b), root(b)), "timestamp"),
        EARLIER_TIMESTAMP(b -> Blocks.withHeader(b, b.height(), 4_999, prev(b), data(b), root(b)), "timestamp"),
        DATA_HASH_MISMATCH(b -> Blocks.withHeader(b, b.height(), ts(b), prev(b), Block.dataHashOf(List.of()), root(b)),
                "data hash"),
        STATE_ROOT_MISMATCH(b -> Blocks.withHeader(b, b.height(), ts(b), prev(b), data(b), Hash.sha256(new byte[] {2})),
                "state root");

        final Function<Block, Block> breakIt;
        final String complaint;

        Breakage(Function<Block, Block> breakIt, String complaint) {
            this.breakIt = breakIt;
            this.complaint = complaint;
        }

        static long ts(Block b) {
            return b.header().timestampNanos();
        }

        static Hash prev(Block b) {
            return b.header().previousHash();
        }

        static Hash data(Block b) {
            return b.header().dataHash();
        }

        static Hash root(Block b) {
            return b.header().stateRoot();
        }
    }

    @ParameterizedTest
    @EnumSource(Breakage.class)
    void aBlockThatDoesNotLinkIsRejectedAndChangesNothing(Breakage breakage) throws Exception {
        apply(next(chain.head(), 5_000, set("a", "1")));
        apply(next(chain.head(), 6_000, set("b", "1")));
        ChainHead before = chain.head();
        Hash rootBefore = executor.stateRoot();
        int storedBefore = store.storedPuts();
        Block good = next(before, 7_000, set("c", "1"));
        Block bad = breakage.breakIt.apply(good);
        if (breakage == Breakage.SAME_TIMESTAMP || breakage == Breakage.EARLIER_TIMESTAMP) {
            bad = Blocks.withHeader(good, good.height(), before.timestampNanos() - (breakage == Breakage.SAME_TIMESTAMP ? 0 : 1),
                    good.header().previousHash(), good.header().dataHash(), good.header().stateRoot());
        }
        Block rejected = bad;

        assertThatThrownBy(() -> apply(rejected)).isInstanceOf(RejectedEntryException.class)
                .hasMessageContaining(breakage.complaint);
        assertThat(chain.head()).isEqualTo(before);
        assertThat(executor.stateRoot()).isEqualTo(rootBefore);
        assertThat(executor.get("c")).isEmpty();
        assertThat(store.storedPuts()).isEqualTo(storedBefore);
        // and the chain continues with the valid block
        apply(good);
        assertThat(chain.head().height()).isEqualTo(3);
    }

    @Test
    void bytesThatAreNotANodeEntryAreRejected() {
        assertThatThrownBy(() -> chain.apply(1, new byte[] {1, 2, 3})).isInstanceOf(RejectedEntryException.class)
                .hasMessageContaining("not a node entry");
        byte[] otherType = Envelope.wrap(999, new byte[0]);
        assertThatThrownBy(() -> chain.apply(1, otherType)).isInstanceOf(RejectedEntryException.class)
                .hasMessageContaining("999");
        byte[] corrupt = entry(next(chain.head()));
        corrupt[corrupt.length - 1] ^= 1;
        assertThatThrownBy(() -> chain.apply(1, corrupt)).isInstanceOf(RejectedEntryException.class)
                .hasMessageContaining("checksum");
        assertThat(chain.head().height()).isZero();
    }

    @Test
    void snapshotAndRestoreReproduceTheStateExactly() throws Exception {
        for (int i = 0; i < 5; i++) {
            apply(next(chain.head(), set("k" + i, "v" + i), set("shared", "x" + i)));
        }
        chain.apply(++index, NodeEntryCodec.encode(new NodeEntry.DaProgressEntry(new DaProgress(3, 17))));
        byte[] snap = snapshot(chain);

        KvExecutor exec2 = new KvExecutor();
        ChainStateMachine restored = new ChainStateMachine(new InMemoryBlockStore(), exec2);
        restored.restore(new ByteArrayInputStream(snap));

        assertThat(restored.head()).isEqualTo(chain.head());
        assertThat(restored.head().daProgress()).isEqualTo(new DaProgress(3, 17));
        assertThat(exec2.stateRoot()).isEqualTo(executor.stateRoot());
        assertThat(exec2.get("shared")).contains("x4");
        assertThat(snapshot(restored)).isEqualTo(snap);
        // both continue identically
        Block b6 = next(chain.head(), set("k9", "v9"));
        apply(b6);
        restored.apply(index, entry(b6));
        assertThat(restored.head()).isEqualTo(chain.head());
    }

    @Test
    void restoreRefusesACorruptOrInconsistentSnapshot() throws Exception {
        apply(next(chain.head(), set("a", "1")));
        byte[] snap = snapshot(chain);
        byte[] flipped = snap.clone();
        flipped[flipped.length - 3] ^= 0x40;
        ChainStateMachine other = new ChainStateMachine(new InMemoryBlockStore(), new KvExecutor());
        assertThatThrownBy(() -> other.restore(new ByteArrayInputStream(flipped))).isInstanceOf(IOException.class)
                .hasMessageContaining("kv snapshot");
        assertThatThrownBy(() -> other.restore(new ByteArrayInputStream(new byte[0]))).isInstanceOf(IOException.class)
                .hasMessageContaining("empty");

        // a head from one chain with the executor state of another: roots disagree
        ChainStateMachine second = new ChainStateMachine(new InMemoryBlockStore(), new KvExecutor());
        second.apply(1, entry(next(second.head(), set("z", "9"))));
        byte[] head = NodeEntryCodec.encodeHead(chain.head());
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(head);
        new KvExecutor().snapshot(mixed);
        assertThatThrownBy(() -> other.restore(new ByteArrayInputStream(mixed.toByteArray())))
                .isInstanceOf(IOException.class).hasMessageContaining("inconsistent");
    }

    @Test
    void reapplyingEntriesAfterARestartOverAPersistentBlockStoreIsIdempotent() throws Exception {
        List<byte[]> log = new ArrayList<>();
        byte[] snapAt3 = null;
        for (int i = 1; i <= 6; i++) {
            byte[] e = entry(next(chain.head(), set("k", "v" + i)));
            log.add(e);
            chain.apply(i, e);
            if (i == 3) {
                snapAt3 = snapshot(chain);
            }
        }
        int stored = store.storedPuts();

        // restart from the snapshot at 3: the store already holds 1..6
        ChainStateMachine fromSnapshot = new ChainStateMachine(store, new KvExecutor());
        fromSnapshot.restore(new ByteArrayInputStream(snapAt3));
        for (int i = 4; i <= 6; i++) {
            fromSnapshot.apply(i, log.get(i - 1));
        }
        assertThat(fromSnapshot.head()).isEqualTo(chain.head());

        // restart with no snapshot: replay everything
        ChainStateMachine fromScratch = new ChainStateMachine(store, new KvExecutor());
        for (int i = 1; i <= 6; i++) {
            fromScratch.apply(i, log.get(i - 1));
        }
        assertThat(fromScratch.head()).isEqualTo(chain.head());
        assertThat(store.storedPuts()).isEqualTo(stored);
        assertThat(store.headHeight()).hasValue(6);
    }

    @Test
    void aStoredDifferentBlockAtTheSameHeightIsNeverSilentlyAccepted() throws Exception {
        apply(next(chain.head(), set("a", "1")));
        ChainStateMachine diverged = new ChainStateMachine(store, new KvExecutor());
        Block other = next(diverged.head(), set("a", "2"));
        assertThatThrownBy(() -> diverged.apply(1, entry(other))).isInstanceOf(IllegalStateException.class);
        assertThat(diverged.head().height()).isZero();
    }

    @Test
    void afterASnapshotInstallBlocksAboveTheHistoryGapAreAppliedButNotStoredUntilCatchUp() throws Exception {
        for (int i = 0; i < 3; i++) {
            apply(next(chain.head(), set("a", "" + i)));
        }
        byte[] snap = snapshot(chain);
        InMemoryBlockStore emptyStore = new InMemoryBlockStore();
        ChainStateMachine fresh = new ChainStateMachine(emptyStore, new KvExecutor());
        fresh.restore(new ByteArrayInputStream(snap));
        assertThat(fresh.isCatchingUp()).isTrue();

        Block b4 = next(fresh.head(), set("b", "1"));
        fresh.apply(4, entry(b4));
        assertThat(fresh.head().height()).isEqualTo(4);
        assertThat(emptyStore.headHeight()).isEmpty();
        assertThat(fresh.isCatchingUp()).isTrue();
        assertThat(chain.isCatchingUp()).isFalse();
    }

    @Test
    void daProgressMustAdvanceAndStayWithinTheHead() throws Exception {
        apply(next(chain.head()));
        apply(next(chain.head()));
        byte[] ok = NodeEntryCodec.encode(new NodeEntry.DaProgressEntry(new DaProgress(1, 10)));
        assertThat(chain.apply(++index, ok)).isEmpty();
        assertThat(chain.head().daProgress()).isEqualTo(new DaProgress(1, 10));

        byte[] again = NodeEntryCodec.encode(new NodeEntry.DaProgressEntry(new DaProgress(1, 11)));
        byte[] pastHead = NodeEntryCodec.encode(new NodeEntry.DaProgressEntry(new DaProgress(3, 12)));
        byte[] daBackwards = NodeEntryCodec.encode(new NodeEntry.DaProgressEntry(new DaProgress(2, 9)));
        for (byte[] bad : List.of(again, pastHead, daBackwards)) {
            assertThatThrownBy(() -> chain.apply(++index, bad)).isInstanceOf(RejectedEntryException.class)
                    .hasMessageContaining("DA progress");
        }
        assertThat(chain.head().daProgress()).isEqualTo(new DaProgress(1, 10));
    }

    @Test
    void listenersSeeEachAppliedBlockInOrderButNeverARejectedOne() throws Exception {
        List<Long> seen = new ArrayList<>();
        chain.addListener(new ChainListener() {
            @Override
            public void blockApplied(long idx, CommittedBlock block, ChainHead head) {
                seen.add(block.height());
                assertThat(head.height()).isEqualTo(block.height());
            }
        });
        apply(next(chain.head()));
        Block bad = Blocks.withHeader(next(chain.head()), 7, 1, Hash.ZERO, Hash.ZERO, Hash.ZERO);
        assertThatThrownBy(() -> apply(bad)).isInstanceOf(RejectedEntryException.class);
        apply(next(chain.head(), new Tx(new byte[] {0})));
        assertThat(seen).containsExactly(1L, 2L);
    }

    @Test
    void nodeEntriesRoundTripThroughTheCodec() {
        Block b = next(chain.head(), set("a", "1"), set("b", "2"));
        assertThat(NodeEntryCodec.decode(entry(b))).isEqualTo(new NodeEntry.BlockEntry(b));
        NodeEntry da = new NodeEntry.DaProgressEntry(new DaProgress(4, 5));
        assertThat(NodeEntryCodec.decode(NodeEntryCodec.encode(da))).isEqualTo(da);
    }

    static byte[] snapshot(ChainStateMachine sm) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.snapshot(out);
        return out.toByteArray();
    }
}
