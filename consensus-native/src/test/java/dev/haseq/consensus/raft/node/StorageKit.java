package dev.haseq.consensus.raft.node;

import dev.haseq.api.config.Providers;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStoreProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The three stores a node opens, chosen by name: {@code mem} is the in-memory {@link MemDisk}
 * double; any other name is looked up with ServiceLoader (e.g. {@code file}, {@code chronicle}
 * once those providers are on the path), so the same tests and benchmark run against real stores.
 *
 * @param crash what a crash does to a node's raft_dir (the double drops unsynced appends; real
 *              stores keep what they synced by themselves)
 */
record StorageKit(String description, LogStoreProvider log, StableStoreProvider stable,
                  SnapshotStoreProvider snapshots, Consumer<Path> crash) {

    static StorageKit mem() {
        MemDisk d = new MemDisk();
        return new StorageKit("in-memory test double (no fsync)", d.logProvider(), d.stableProvider(),
                d.snapshotProvider(), d::crash);
    }

    /**
     * @param logStore log store provider name; stable and snapshot stores come from the same
     *                 provider if it offers them, else from {@code file}, else the in-memory double
     */
    static StorageKit named(String logStore) {
        if (logStore.equals("mem")) {
            return mem();
        }
        MemDisk d = new MemDisk();
        LogStoreProvider log = Providers.select(LogStoreProvider.class, LogStoreProvider::name, "raft.log_store",
                logStore);
        StableStoreProvider stable = pick(StableStoreProvider.class, StableStoreProvider::name, logStore);
        SnapshotStoreProvider snaps = pick(SnapshotStoreProvider.class, SnapshotStoreProvider::name, logStore);
        return new StorageKit("log " + log.name() + ", stable " + (stable == null ? "mem" : stable.name())
                + ", snapshots " + (snaps == null ? "mem" : snaps.name()), log,
                stable == null ? d.stableProvider() : stable, snaps == null ? d.snapshotProvider() : snaps, p -> {
                });
    }

    /** Names of the log stores ServiceLoader can see, plus "mem". */
    static List<String> available() {
        List<String> names = new java.util.ArrayList<>(Providers.all(LogStoreProvider.class).stream()
                .map(LogStoreProvider::name).toList());
        names.add("mem");
        return names;
    }

    private static <P> P pick(Class<P> kind, java.util.function.Function<P, String> name, String preferred) {
        List<P> all = Providers.all(kind);
        return all.stream().filter(p -> name.apply(p).equals(preferred)).findFirst()
                .or(() -> all.stream().filter(p -> name.apply(p).equals("file")).findFirst())
                .orElse(null);
    }
}
