package dev.haseq.consensus.raft.node;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.api.storage.StableStore;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.TermAndVote;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory stand-ins for the storage SPIs (test sources only, never registered with
 * ServiceLoader): state is kept per directory, so a node "restarted" on the same raft_dir finds
 * what it stored. {@link #crash(Path)} forgets log appends that were never synced, as a power
 * loss would.
 */
final class MemDisk {
    private final Map<Path, LogState> logs = new ConcurrentHashMap<>();
    private final Map<Path, TermAndVote> stable = new ConcurrentHashMap<>();
    private final Map<Path, List<Snap>> snapshots = new ConcurrentHashMap<>();

    record Snap(SnapshotMeta meta, byte[] data) {
    }

    private static final class LogState {
        final List<LogEntry> entries = new ArrayList<>();
        long first = 1;
        long synced;
    }

    /** Drops unsynced log entries of the node whose raft_dir is {@code raftDir}. */
    void crash(Path raftDir) {
        LogState s = logs.get(raftDir.resolve("raft-log"));
        if (s == null) {
            return;
        }
        synchronized (s) {
            long last = s.first + s.entries.size() - 1;
            while (last > s.synced && last >= s.first) {
                s.entries.remove(s.entries.size() - 1);
                last--;
            }
        }
    }

    LogStoreProvider logProvider() {
        return new LogStoreProvider() {
            @Override
            public String name() {
                return "mem";
            }

            @Override
            public LogStore open(StorageContext c) {
                return new MemLog(logs.computeIfAbsent(c.directory(), d -> new LogState()));
            }
        };
    }

    StableStoreProvider stableProvider() {
        return new StableStoreProvider() {
            @Override
            public String name() {
                return "mem";
            }

            @Override
            public StableStore open(StorageContext c) {
                Path key = c.directory();
                return new StableStore() {
                    @Override
                    public TermAndVote load() {
                        return stable.getOrDefault(key, TermAndVote.INITIAL);
                    }

                    @Override
                    public void save(TermAndVote value) {
                        stable.put(key, value);
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    SnapshotStoreProvider snapshotProvider() {
        return new SnapshotStoreProvider() {
            @Override
            public String name() {
                return "mem";
            }

            @Override
            public SnapshotStore open(StorageContext c) {
                return new MemSnapshots(snapshots.computeIfAbsent(c.directory(), d -> new ArrayList<>()),
                        c.settings().snapCount());
            }
        };
    }

    private static final class MemLog implements LogStore {
        private final LogState s;

        MemLog(LogState s) {
            this.s = s;
        }

        @Override
        public long firstIndex() {
            synchronized (s) {
                return s.first;
            }
        }

        @Override
        public long lastIndex() {
            synchronized (s) {
                return s.first + s.entries.size() - 1;
            }
        }

        private LogEntry at(long index) {
            long last = s.first + s.entries.size() - 1;
            if (index < s.first || index > last) {
                throw new IllegalArgumentException("index " + index + " outside [" + s.first + ", " + last + "]");
            }
            return s.entries.get((int) (index - s.first));
        }

        @Override
        public long term(long index) {
            synchronized (s) {
                return at(index).term();
            }
        }

        @Override
        public LogEntry entry(long index) {
            synchronized (s) {
                return at(index);
            }
        }

        @Override
        public List<LogEntry> read(long from, long toInclusive, long maxBytes) {
            synchronized (s) {
                List<LogEntry> out = new ArrayList<>();
                long bytes = 0;
                for (long i = from; i <= toInclusive; i++) {
                    LogEntry e = at(i);
                    if (!out.isEmpty() && bytes + e.data().length > maxBytes) {
                        break;
                    }
                    out.add(e);
                    bytes += e.data().length;
                }
                return out;
            }
        }

        @Override
        public void append(List<LogEntry> entries) {
            synchronized (s) {
                long next = s.first + s.entries.size();
                for (LogEntry e : entries) {
                    if (e.index() != next) {
                        throw new IllegalArgumentException("append of " + e.index() + ", expected " + next);
                    }
                    s.entries.add(e);
                    next++;
                }
            }
        }

        @Override
        public void truncateSuffix(long afterIndex) {
            synchronized (s) {
                if (afterIndex < s.first - 1) {
                    throw new IllegalArgumentException("truncate after " + afterIndex + " below first " + s.first);
                }
                while (s.first + s.entries.size() - 1 > afterIndex) {
                    s.entries.remove(s.entries.size() - 1);
                }
                s.synced = Math.min(s.synced, afterIndex);
            }
        }

        @Override
        public void compactPrefix(long upToIndex) {
            synchronized (s) {
                long last = s.first + s.entries.size() - 1;
                if (upToIndex >= last) {
                    s.entries.clear();
                    s.first = upToIndex + 1;
                    s.synced = Math.max(s.synced, upToIndex);
                } else if (upToIndex >= s.first) {
                    s.entries.subList(0, (int) (upToIndex - s.first + 1)).clear();
                    s.first = upToIndex + 1;
                }
            }
        }

        @Override
        public void sync() {
            synchronized (s) {
                s.synced = s.first + s.entries.size() - 1;
            }
        }

        @Override
        public long sizeOnDisk() {
            synchronized (s) {
                return s.entries.stream().mapToLong(e -> e.data().length + 16L).sum();
            }
        }

        @Override
        public void close() {
        }
    }

    private static final class MemSnapshots implements SnapshotStore {
        private final List<Snap> snaps;
        private final int keep;

        MemSnapshots(List<Snap> snaps, int keep) {
            this.snaps = snaps;
            this.keep = keep;
        }

        @Override
        public Writer create(SnapshotMeta meta) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            return new Writer() {
                private boolean done;

                @Override
                public OutputStream stream() {
                    return out;
                }

                @Override
                public SnapshotMeta commit() {
                    byte[] data = out.toByteArray();
                    SnapshotMeta m = new SnapshotMeta(meta.index(), meta.term(), data.length);
                    synchronized (snaps) {
                        snaps.removeIf(x -> x.meta().index() == m.index() && x.meta().term() == m.term());
                        snaps.add(new Snap(m, data));
                        snaps.sort(Comparator.comparingLong((Snap x) -> x.meta().index()).reversed());
                        while (snaps.size() > keep) {
                            snaps.remove(snaps.size() - 1);
                        }
                    }
                    done = true;
                    return m;
                }

                @Override
                public void close() {
                    done = true;
                }
            };
        }

        @Override
        public Optional<Reader> openLatest() {
            Snap latest;
            synchronized (snaps) {
                if (snaps.isEmpty()) {
                    return Optional.empty();
                }
                latest = snaps.getFirst();
            }
            InputStream in = new ByteArrayInputStream(latest.data());
            return Optional.of(new Reader() {
                @Override
                public SnapshotMeta meta() {
                    return latest.meta();
                }

                @Override
                public InputStream stream() {
                    return in;
                }

                @Override
                public void close() {
                }
            });
        }

        @Override
        public List<SnapshotMeta> list() {
            synchronized (snaps) {
                return snaps.stream().map(Snap::meta).toList();
            }
        }

        @Override
        public void close() {
        }
    }
}
