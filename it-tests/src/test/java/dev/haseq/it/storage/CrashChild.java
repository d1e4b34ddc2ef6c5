package dev.haseq.it.storage;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.BlockStore;
import dev.haseq.api.storage.BlockStoreProvider;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStore;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.TermAndVote;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The process the crash tests kill with SIGKILL. It loads a provider by name through
 * {@code ServiceLoader} (as the node does), works on a store in a loop and prints one line per
 * operation <em>after</em> the operation is durable (or, for destructive intents, before it starts),
 * so the parent knows what must survive:
 *
 * <pre>
 *   log:      O first last term     opened; appends continue in term
 *             T afterIndex newTerm  about to truncateSuffix(afterIndex); later appends use newTerm
 *             C upToIndex           about to compactPrefix(upToIndex)
 *             S lastIndex           sync() returned with lastIndex
 *   stable:   V term vote|-         save() returned
 *   snapshot: P index term size     commit() returned
 *   block:    B height              put() returned
 * </pre>
 *
 * Arguments: {@code kind provider dir seed maxMillis snapCount}. The child stops by itself after
 * {@code maxMillis} so that it never outlives a parent that died.
 */
public final class CrashChild {
    private static final PrintStream OUT = System.out;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String provider = args[1];
        Path dir = Path.of(args[2]);
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[3]));
        long deadline = System.currentTimeMillis() + Long.parseLong(args[4]);
        int snapCount = Integer.parseInt(args[5]);
        StorageContext ctx = StorageContexts.context(dir, snapCount, StorageEvents.NONE);
        switch (kind) {
            case "log" -> runLog(Providers.select(LogStoreProvider.class, LogStoreProvider::name,
                    "raft.log_store", provider).open(ctx), rnd, deadline);
            case "stable" -> runStable(Providers.select(StableStoreProvider.class, StableStoreProvider::name,
                    "stable store", provider).open(ctx), rnd, deadline);
            case "snapshot" -> runSnapshots(Providers.select(SnapshotStoreProvider.class,
                    SnapshotStoreProvider::name, "snapshot store", provider).open(ctx), rnd, deadline);
            case "block" -> runBlocks(Providers.select(BlockStoreProvider.class, BlockStoreProvider::name,
                    "block store", provider).open(ctx), deadline);
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private static void runLog(LogStore log, SplittableRandom rnd, long deadline) {
        long term = log.lastIndex() >= log.firstIndex() ? Math.max(1, log.term(log.lastIndex())) : 1;
        long synced = log.lastIndex();
        say("O " + log.firstIndex() + " " + log.lastIndex() + " " + term);
        while (System.currentTimeMillis() < deadline) {
            int action = rnd.nextInt(1000);
            long first = log.firstIndex();
            long last = log.lastIndex();
            if (action < 20 && last >= first) {
                long after = Math.max(first - 1, last - rnd.nextInt(40));
                term++;
                say("T " + after + " " + term);
                log.truncateSuffix(after);
                synced = Math.min(synced, after);
            } else if (action < 30 && synced - first > 1500) {
                long upTo = synced - 500 - rnd.nextInt(500);
                say("C " + upTo);
                log.compactPrefix(upTo);
            } else if (action < 33) {
                // As when a snapshot replaces the whole log: the next entry is upTo + 1.
                long upTo = last + 1 + rnd.nextInt(50);
                say("C " + upTo);
                log.compactPrefix(upTo);
            } else {
                int n = 1 + rnd.nextInt(16);
                List<LogEntry> batch = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    batch.add(LogEntries.entry(last + i, term));
                }
                log.append(batch);
                if (rnd.nextInt(3) == 0) {
                    log.sync();
                    synced = log.lastIndex();
                    say("S " + synced);
                }
            }
        }
        log.close();
    }

    private static void runStable(StableStore store, SplittableRandom rnd, long deadline) {
        long term = store.load().term();
        while (System.currentTimeMillis() < deadline) {
            term++;
            Optional<NodeId> vote = rnd.nextBoolean() ? Optional.of(NodeId.of("node-" + rnd.nextInt(5))) : Optional.empty();
            store.save(new TermAndVote(term, vote));
            say("V " + term + " " + vote.map(NodeId::value).orElse("-"));
        }
        store.close();
    }

    private static void runSnapshots(SnapshotStore store, SplittableRandom rnd, long deadline) {
        long index = store.list().stream().mapToLong(SnapshotMeta::index).max().orElse(0);
        while (System.currentTimeMillis() < deadline) {
            index += 1 + rnd.nextInt(100);
            SnapshotMeta meta = SnapshotMeta.of(index, 1 + index / 1000);
            try (SnapshotStore.Writer w = store.create(meta)) {
                byte[] payload = SnapshotPayloads.payload(meta);
                SnapshotPayloads.writeChunked(w.stream(), payload);
                SnapshotMeta done = w.commit();
                say("P " + done.index() + " " + done.term() + " " + done.size());
            }
        }
        store.close();
    }

    private static void runBlocks(BlockStore store, long deadline) {
        long height = store.headHeight().orElse(0);
        while (System.currentTimeMillis() < deadline) {
            height++;
            store.put(Blocks.block(height));
            say("B " + height);
        }
        store.close();
    }
}
