package dev.haseq.storage.chronicle;

import dev.haseq.api.Block;
import dev.haseq.api.codec.CodecException;
import dev.haseq.api.codec.Codecs;
import dev.haseq.api.storage.BlockStore;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.chronicle.RecordQueue.Read;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Committed blocks by height on a Chronicle Queue (provider {@code chronicle}). Each excerpt is a
 * checksummed {@link QueueRecord.Block} holding the height and the block's {@code Codecs.BLOCK}
 * frame (itself checksummed). Blocks are only ever appended, one per height, in height order.
 *
 * <p><b>Contract</b> (see {@link BlockStore}): {@link #put} is durable before it returns (append,
 * then fdatasync of the cycle file, see {@link RecordQueue}); the first put may have any height,
 * later ones {@code head + 1}; a put at a stored height with the same hash is a no-op, with a
 * different hash an {@link IllegalStateException}; any other height is an
 * {@link IllegalArgumentException}.
 *
 * <p><b>Open</b> costs O(number of cycle files), not O(blocks): for each file it reads the first
 * and last excerpt and the excerpt count; if the heights span exactly the count, the file is one
 * run of consecutive heights ({@link BlockRuns}) and is not scanned. Only a file that holds
 * something else (a cut torn tail) is scanned record by record. A torn last record (a put that
 * never returned, cut short by a power loss) is cut and reported like the log's
 * ({@link StorageEvents#tornTailTruncated}); an unreadable record elsewhere fails the open or the
 * read that meets it, naming the file and offset.
 *
 * <p><b>Threads.</b> One writer ({@code put}, serialised by a lock anyway), concurrent readers.
 */
public final class ChronicleBlockStore implements BlockStore {
    static {
        ChronicleDefaults.apply();
    }

    private static final long NONE = -1;

    private final RecordQueue queue;
    private final BlockRuns runs = new BlockRuns();
    private final Object writeLock = new Object();
    private volatile long first = NONE;
    private volatile long head = NONE;

    private ChronicleBlockStore(RecordQueue queue) {
        this.queue = queue;
    }

    /** Opens (creating if needed) the block store in {@code dir}. */
    public static ChronicleBlockStore open(Path dir, QueueOptions options, StorageEvents events) {
        RecordQueue q = new RecordQueue(dir, options);
        try {
            ChronicleBlockStore s = new ChronicleBlockStore(q);
            s.load(events);
            return s;
        } catch (RuntimeException e) {
            q.close();
            throw e;
        }
    }

    private void load(StorageEvents events) {
        List<Integer> cycles = queue.cycles();
        Scan scan = new Scan();
        for (int cycle : cycles) {
            long count = queue.excerptsInCycle(cycle);
            if (count == 0) {
                continue;
            }
            long firstQi = queue.queueIndex(cycle, 0);
            long lastQi = queue.queueIndex(cycle, count - 1);
            Read a = readIfComplete(firstQi);
            if (a == null) {
                // The file's first excerpt was never completed: the writer was killed while creating
                // the file, before that put returned. Nothing in it was acknowledged; a real loss of
                // blocks would show as a height gap in the next file (checkNext).
                continue;
            }
            Read b = readIfComplete(lastQi);
            if (scan.bad == null && b != null && a.record() instanceof QueueRecord.Block fa
                    && b.record() instanceof QueueRecord.Block fb
                    && fb.height() - fa.height() == count - 1 && verified(fa, a) && verified(fb, b)) {
                scan.checkNext(fa.height(), "file of cycle " + cycle);
                runs.addRun(fa.height(), firstQi, count);
                scan.last = fb.height();
                if (first == NONE) {
                    first = fa.height();
                }
            } else {
                queue.readFrom(firstQi, r -> {
                    if (queue.cycleOf(r.queueIndex()) != cycle) {
                        return false;
                    }
                    scan.accept(r);
                    return true;
                });
            }
        }
        if (scan.bad != null) {
            queue.append(new QueueRecord.Cut(scan.bad.queueIndex()));
            queue.sync();
            events.tornTailTruncated(scan.bad.where().file(), scan.bad.where().offset(), scan.badBytes);
        }
        head = scan.last;
    }

    /** The excerpt at {@code queueIndex}, or null when Chronicle has no complete excerpt there. */
    private Read readIfComplete(long queueIndex) {
        try {
            return queue.readAt(queueIndex);
        } catch (StorageException e) {
            return null;
        }
    }

    private static boolean verified(QueueRecord.Block b, Read r) {
        try {
            return Codecs.BLOCK.decode(b.frame()).height() == b.height();
        } catch (CodecException e) {
            throw new StorageException("corrupt block frame at height " + b.height() + " (Chronicle index 0x"
                    + Long.toHexString(r.queueIndex()) + "): " + e.getMessage(), e);
        }
    }

    /** Record-by-record loading of one cycle file. */
    private final class Scan {
        long last = NONE;
        Read bad;
        long badBytes;

        void checkNext(long height, String where) {
            if (bad != null) {
                throw new StorageException("corrupt record at " + bad.where() + " (" + bad.problem()
                        + ") is followed by valid blocks in " + where + ": the block store is damaged in the middle");
            }
            if (last != NONE && height != last + 1) {
                throw new StorageException("block " + height + " in " + where + " follows block " + last
                        + ": the block store is corrupt (heights must be consecutive)");
            }
        }

        void accept(Read r) {
            switch (r.record()) {
                case null -> {
                    if (bad == null) {
                        bad = r;
                    }
                    badBytes += r.length();
                }
                case QueueRecord.Cut c -> {
                    if (bad != null && bad.queueIndex() == c.fromQueueIndex()) {
                        bad = null;
                        badBytes = 0;
                    }
                }
                case QueueRecord.Block b -> {
                    checkNext(b.height(), "Chronicle index 0x" + Long.toHexString(r.queueIndex()));
                    runs.add(b.height(), r.queueIndex());
                    if (first == NONE) {
                        first = b.height();
                    }
                    last = b.height();
                }
                default -> throw new StorageException("unexpected " + r.record().getClass().getSimpleName()
                        + " record at Chronicle index 0x" + Long.toHexString(r.queueIndex())
                        + " in a block store: is it pointed at the raft-log directory?");
            }
        }
    }

    @Override
    public void put(Block block) {
        long h = block.height();
        synchronized (writeLock) {
            if (head != NONE && h >= first && h <= head) {
                Block existing = get(h).orElseThrow();
                if (existing.hash().equals(block.hash())) {
                    return;
                }
                throw new IllegalStateException("a different block is already stored at height " + h + " (stored "
                        + existing.hash() + ", offered " + block.hash() + "): two blocks at one height must never happen");
            }
            if (head != NONE && h != head + 1) {
                throw new IllegalArgumentException("block height " + h + " does not follow the head " + head
                        + " (stored heights are [" + first + ", " + head + "])");
            }
            long qi = queue.append(new QueueRecord.Block(h, Codecs.BLOCK.encode(block)));
            queue.sync();
            runs.add(h, qi);
            if (first == NONE) {
                first = h;
            }
            head = h; // volatile write publishes the run to readers
        }
    }

    @Override
    public Optional<Block> get(long height) {
        long hd = head;
        if (hd == NONE || height < first || height > hd) {
            return Optional.empty();
        }
        long qi = runs.queueIndex(height);
        return Optional.of(decode(queue.read(qi), height));
    }

    @Override
    public List<Block> range(long from, long toInclusive, int maxCount) {
        long hd = head;
        long lo = Math.max(from, first);
        long hi = Math.min(toInclusive, hd);
        if (hd == NONE || lo > hi || maxCount <= 0) {
            return List.of();
        }
        long end = Math.min(hi, lo + maxCount - 1);
        List<Block> out = new ArrayList<>((int) (end - lo + 1));
        long[] next = {lo};
        long[] expected = {runs.queueIndex(lo)};
        queue.readFrom(expected[0], r -> {
            if (r.queueIndex() < expected[0]) {
                return true; // a cut record or a cut-off unreadable one between two blocks
            }
            out.add(decode(r, next[0]));
            if (++next[0] > end) {
                return false;
            }
            expected[0] = runs.queueIndex(next[0]);
            return true;
        });
        if (next[0] <= end) {
            throw new StorageException("the block queue in " + queue.directory() + " ended before height " + next[0]);
        }
        return out;
    }

    private Block decode(Read r, long height) {
        if (!(r.orThrow() instanceof QueueRecord.Block b) || b.height() != height) {
            throw new StorageException("expected block " + height + " at Chronicle index 0x"
                    + Long.toHexString(r.queueIndex()) + " in " + queue.directory() + " but found another record");
        }
        Block block;
        try {
            block = Codecs.BLOCK.decode(b.frame());
        } catch (CodecException e) {
            throw new StorageException("corrupt block " + height + " at Chronicle index 0x"
                    + Long.toHexString(r.queueIndex()) + " in " + queue.directory() + ": " + e.getMessage(), e);
        }
        if (block.height() != height) {
            throw new StorageException("record for height " + height + " in " + queue.directory()
                    + " holds block " + block.height());
        }
        return block;
    }

    @Override
    public OptionalLong headHeight() {
        long h = head;
        return h == NONE ? OptionalLong.empty() : OptionalLong.of(h);
    }

    @Override
    public OptionalLong firstHeight() {
        long h = head;
        return h == NONE ? OptionalLong.empty() : OptionalLong.of(first);
    }

    /** Runs in the in-memory index (tests check that open did not need one per block). */
    int runCount() {
        return runs.size();
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            queue.close();
        }
    }
}
