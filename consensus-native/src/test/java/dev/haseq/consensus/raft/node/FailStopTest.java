package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageException;
import dev.haseq.consensus.raft.transport.Await;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailStopTest {
    @TempDir
    Path dir;

    /** Delegates to a real (in-memory) log, but every sync fails once {@code broken} is set. */
    private record FlakyLog(LogStore log, AtomicBoolean broken) implements LogStore {
        public long firstIndex() {
            return log.firstIndex();
        }

        public long lastIndex() {
            return log.lastIndex();
        }

        public long term(long index) {
            return log.term(index);
        }

        public LogEntry entry(long index) {
            return log.entry(index);
        }

        public List<LogEntry> read(long from, long to, long maxBytes) {
            return log.read(from, to, maxBytes);
        }

        public void append(List<LogEntry> entries) {
            log.append(entries);
        }

        public void truncateSuffix(long afterIndex) {
            log.truncateSuffix(afterIndex);
        }

        public void compactPrefix(long upToIndex) {
            log.compactPrefix(upToIndex);
        }

        public void sync() {
            if (broken.get()) {
                throw new StorageException("sync of raft-log failed: Input/output error (simulated)");
            }
            log.sync();
        }

        public long sizeOnDisk() {
            return log.sizeOnDisk();
        }

        public void close() {
            log.close();
        }
    }

    @Test
    void aFollowerWhoseLogCannotSyncStopsAndTheOthersCarryOn() {
        StorageKit mem = StorageKit.mem();
        java.util.Map<Path, AtomicBoolean> broken = new java.util.concurrent.ConcurrentHashMap<>();
        LogStoreProvider flaky = new LogStoreProvider() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public LogStore open(StorageContext c) {
                return new FlakyLog(mem.log().open(c), broken.computeIfAbsent(c.directory(), d -> new AtomicBoolean()));
            }
        };
        StorageKit kit = new StorageKit("flaky", flaky, mem.stable(), mem.snapshots(), mem.crash());
        try (LocalCluster c = new LocalCluster(3, dir, LocalCluster.testTimings(), kit,
                i -> new RecordingStateMachine())) {
            c.startAll();
            c.propose("before");
            int leader = c.awaitLeader();
            int victim = (leader + 1) % 3;
            int other = (leader + 2) % 3;
            broken.get(dev.haseq.api.storage.RaftLayout.logDir(c.raftDir(victim))).set(true);
            c.propose("after-1");
            c.propose("after-2");
            Await.until(LocalCluster.WAIT, "the follower stopped on its failed sync",
                    () -> c.nodes[victim].failure().isPresent() && !c.nodes[victim].isStartedAndOpen());
            assertThat(c.nodes[victim].failure().orElseThrow()).hasMessageContaining("Input/output error");
            // Listeners hear about it exactly once (the launcher exits on it), the others not at all.
            Await.until(LocalCluster.WAIT, "the failure reported to listeners",
                    () -> !c.listeners.get(victim).failures.isEmpty());
            assertThat(c.listeners.get(victim).failures).singleElement()
                    .satisfies(t -> assertThat(t).hasMessageContaining("Input/output error"));
            assertThat(c.listeners.get(leader).failures).isEmpty();
            c.propose("after-3");
            c.awaitReplicated(leader, List.of("before", "after-1", "after-2", "after-3"));
            c.awaitReplicated(other, List.of("before", "after-1", "after-2", "after-3"));
        }
    }
}
