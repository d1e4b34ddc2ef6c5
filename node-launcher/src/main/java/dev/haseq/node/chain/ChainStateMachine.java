package dev.haseq.node.chain;

import dev.haseq.api.Block;
import dev.haseq.api.Hash;
import dev.haseq.api.codec.CodecException;
import dev.haseq.api.codec.Envelope;
import dev.haseq.api.consensus.RejectedEntryException;
import dev.haseq.api.consensus.StateMachine;
import dev.haseq.api.exec.Executor;
import dev.haseq.api.storage.BlockStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The replicated chain: applies committed {@link NodeEntry}s in log order (ARCHITECTURE "Data flow",
 * step 4).
 *
 * <p>A block entry is checked against the head ({@link ChainRules}: height = head + 1, previous
 * hash = head hash, timestamp after the head's, data hash over its txs, state root = the root after
 * its parent), then stored in the {@link BlockStore}, executed by the {@link Executor}, and the head
 * advances. A DA progress entry must advance the recorded progress without passing the head.
 * Anything else, including bytes that do not decode, is refused with {@link RejectedEntryException}
 * before any state changes, so every node refuses it identically.
 *
 * <p>Restart idempotence: consensus restores the latest snapshot and re-applies the entries after
 * it, while the block store is persistent and may already hold those blocks. Putting a block that
 * is already stored with the same hash is a no-op (the {@code BlockStore} contract), and the
 * executor restarts from the snapshot's state, so re-applying is exact. A block whose height is
 * more than one above the stored history (the store was behind a restored snapshot) is applied
 * but not stored: the history gap is catch-up's to fill, and {@link #isCatchingUp()} says so
 * until it is filled.
 *
 * <p>Threads: {@link #apply}, {@link #snapshot} and {@link #restore} are called from the one
 * consensus applier thread. {@link #head()} and the block readers may be called from any thread.
 */
public final class ChainStateMachine implements StateMachine {
    private static final System.Logger LOG = System.getLogger(ChainStateMachine.class.getName());
    /** Cap on the head frame read back from a snapshot stream. */
    private static final int MAX_HEAD_FRAME = 1 << 16;

    private final BlockStore blocks;
    private final Executor executor;
    private final List<ChainListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ChainHead head;

    public ChainStateMachine(BlockStore blocks, Executor executor) {
        this.blocks = blocks;
        this.executor = executor;
        this.head = ChainHead.genesis(executor.stateRoot());
    }

    public void addListener(ChainListener listener) {
        listeners.add(listener);
    }

    /** The last applied head; safe from any thread. */
    public ChainHead head() {
        return head;
    }

    /**
     * @return for a block, its height as 8 big-endian bytes; for a DA progress record, nothing
     */
    @Override
    public byte[] apply(long index, byte[] entry) throws RejectedEntryException {
        NodeEntry decoded;
        try {
            decoded = NodeEntryCodec.decode(entry);
        } catch (CodecException e) {
            throw new RejectedEntryException("log entry " + index + " is not a node entry: " + e.getMessage());
        }
        return switch (decoded) {
            case NodeEntry.BlockEntry b -> applyBlock(index, b.block());
            case NodeEntry.DaProgressEntry d -> applyDaProgress(index, d.progress());
        };
    }

    private byte[] applyBlock(long index, Block block) throws RejectedEntryException {
        ChainHead current = head;
        Optional<String> violation = ChainRules.violation(current, block);
        if (violation.isPresent()) {
            throw new RejectedEntryException("log entry " + index + " rejected: " + violation.get());
        }
        // Store before executing: if execution fails the block is durable and a re-apply is a no-op put.
        long stored = blocks.headHeight().orElse(0);
        if (stored >= block.height() - 1) {
            blocks.put(block);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "block {0} applied but not stored: block store ends at {1} (catch-up fills the gap)",
                    block.height(), stored);
        }
        Hash root = executor.execute(block.header(), block.txs());
        ChainHead next = current.advance(block, root);
        head = next;
        CommittedBlock committed = new CommittedBlock(block);
        for (ChainListener l : listeners) {
            try {
                l.blockApplied(index, committed, next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "chain listener failed on block " + block.height(), e);
            }
        }
        return heightBytes(block.height());
    }

    private byte[] applyDaProgress(long index, DaProgress progress) throws RejectedEntryException {
        ChainHead current = head;
        Optional<String> violation = ChainRules.violation(current, progress);
        if (violation.isPresent()) {
            throw new RejectedEntryException("log entry " + index + " rejected: " + violation.get());
        }
        head = current.withDaProgress(progress);
        return new byte[0];
    }

    /** Writes the head frame, then the executor's snapshot. */
    @Override
    public void snapshot(OutputStream out) throws IOException {
        out.write(NodeEntryCodec.encodeHead(head));
        executor.snapshot(out);
    }

    /**
     * Replaces head and executor state. The executor's restored root must equal the head's state
     * root: anything else means the snapshot is corrupt or was written by another executor.
     */
    @Override
    public void restore(InputStream in) throws IOException {
        ChainHead restored;
        try {
            Envelope.Frame frame = Envelope.readFrom(in, MAX_HEAD_FRAME);
            if (frame == null) {
                throw new IOException("chain snapshot is empty: expected a head frame");
            }
            restored = NodeEntryCodec.decodeHead(frame);
        } catch (CodecException e) {
            throw new IOException("chain snapshot head is unreadable: " + e.getMessage(), e);
        }
        executor.restore(in);
        Hash root = executor.stateRoot();
        if (!root.equals(restored.stateRoot())) {
            throw new IOException("chain snapshot is inconsistent: head " + restored.height() + " has state root "
                    + restored.stateRoot() + " but the executor restored root " + root
                    + " (corrupt snapshot, or written with another executor)");
        }
        head = restored;
        for (ChainListener l : listeners) {
            try {
                l.restored(restored);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "chain listener failed on restore", e);
            }
        }
    }

    /** True while the block store lacks committed blocks below the head (after a snapshot install). */
    @Override
    public boolean isCatchingUp() {
        return blocks.headHeight().orElse(0) < head.height();
    }

    /** A stored (hence committed) block. */
    public Optional<CommittedBlock> committedBlock(long height) {
        return blocks.get(height).map(CommittedBlock::new);
    }

    /** Stored blocks {@code [from, toInclusive]}, at most {@code maxCount}. */
    public List<CommittedBlock> committedBlocks(long from, long toInclusive, int maxCount) {
        return blocks.range(from, toInclusive, maxCount).stream().map(CommittedBlock::new).toList();
    }

    static byte[] heightBytes(long height) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) height;
            height >>>= 8;
        }
        return b;
    }

    /** Reads the height a block entry's apply returned (see {@link #apply}). */
    public static long heightOf(byte[] applyResult) {
        if (applyResult == null || applyResult.length != 8) {
            throw new IllegalArgumentException("not a block apply result: " + (applyResult == null ? "null" : applyResult.length + " bytes"));
        }
        long v = 0;
        for (byte x : applyResult) {
            v = (v << 8) | (x & 0xFF);
        }
        return v;
    }
}
