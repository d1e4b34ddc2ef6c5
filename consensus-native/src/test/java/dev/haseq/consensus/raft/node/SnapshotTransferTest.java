package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.haseq.api.NodeId;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import dev.haseq.api.storage.StorageException;
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import dev.haseq.consensus.raft.core.SnapshotChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The leader's chunked reads and the follower's chunked writes agree byte for byte; the follower
 * reports every chunk to its core (written, failed with where it stands, received), and a failing
 * snapshot store is a storage failure.
 */
class SnapshotTransferTest {
    private static final NodeId PEER = NodeId.of("node-2");

    private static SnapshotStore store() {
        RaftSettings s = RaftSettings.parse(Map.of(), Path.of("/tmp/x")).orThrow();
        return StorageKit.mem().snapshots().open(new StorageContext(Path.of("/tmp/x/snapshots"), s, StorageEvents.NONE));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(n).nextBytes(b);
        return b;
    }

    private static SnapshotMeta put(SnapshotStore store, long index, long term, byte[] data) throws Exception {
        try (SnapshotStore.Writer w = store.create(SnapshotMeta.of(index, term))) {
            w.stream().write(data);
            return w.commit();
        }
    }

    private static int crc(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return (int) c.getValue();
    }

    @Test
    void chunksReadByTheSenderRebuildTheSnapshotAtTheReceiver() throws Exception {
        byte[] data = randomBytes(10_000);
        SnapshotStore leaderStore = store();
        put(leaderStore, 40, 3, data);
        SnapshotSender sender = new SnapshotSender(leaderStore);
        RaftCore leaderCore = mock(RaftCore.class);
        SnapshotStore followerStore = store();
        SnapshotReceiver receiver = new SnapshotReceiver(NodeId.of("node-2"), followerStore);
        RaftCore followerCore = mock(RaftCore.class);

        long offset = 0;
        for (int i = 0; i < 10 && offset < data.length; i++) {
            sender.read(new Ready.SnapshotRead(PEER, 40, 3, offset, 3000), leaderCore);
            ArgumentCaptor<SnapshotChunk> chunk = ArgumentCaptor.forClass(SnapshotChunk.class);
            verify(leaderCore, org.mockito.Mockito.times(i + 1)).snapshotChunkRead(chunk.capture());
            SnapshotChunk c = chunk.getValue();
            assertThat(c.offset()).isEqualTo(offset);
            assertThat(c.totalSize()).isEqualTo(data.length);
            assertThat(c.checksum()).isEqualTo(crc(data));
            receiver.write(new Ready.SnapshotWrite(c.snapshotIndex(), c.snapshotTerm(), c.totalSize(), c.checksum(),
                    c.offset(), c.data(), c.last()), followerCore);
            offset += c.data().length;
        }
        assertThat(offset).isEqualTo(data.length);
        verify(followerCore, org.mockito.Mockito.times(3)).snapshotChunkWritten(any());
        verify(followerCore).snapshotReceived(40, 3, true);
        verify(followerCore, never()).snapshotWriteFailed(any(), org.mockito.ArgumentMatchers.anyLong());
        try (SnapshotStore.Reader r = followerStore.openLatest().orElseThrow()) {
            assertThat(r.meta()).isEqualTo(new SnapshotMeta(40, 3, data.length));
            assertThat(r.stream().readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void aSnapshotWhoseChecksumDoesNotMatchIsDiscardedAndReportedBad() {
        byte[] data = randomBytes(100);
        SnapshotStore followerStore = store();
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, followerStore);
        RaftCore core = mock(RaftCore.class);
        receiver.write(new Ready.SnapshotWrite(7, 2, 100, crc(data) ^ 1, 0, Arrays.copyOf(data, 60), false), core);
        receiver.write(new Ready.SnapshotWrite(7, 2, 100, crc(data) ^ 1, 60, Arrays.copyOfRange(data, 60, 100), true),
                core);
        verify(core).snapshotReceived(7, 2, false);
        assertThat(followerStore.list()).isEmpty();
    }

    private static Ready.SnapshotWrite chunk(byte[] data, long index, int from, int to) {
        return new Ready.SnapshotWrite(index, 2, data.length, crc(data), from, Arrays.copyOfRange(data, from, to),
                to == data.length);
    }

    /** The store's copy of the latest snapshot, checked against {@code data} byte for byte and by CRC32C. */
    private static void assertHolds(SnapshotStore store, long index, byte[] data) throws Exception {
        try (SnapshotStore.Reader r = store.openLatest().orElseThrow()) {
            assertThat(r.meta()).isEqualTo(new SnapshotMeta(index, 2, data.length));
            byte[] stored = r.stream().readAllBytes();
            assertThat(crc(stored)).isEqualTo(crc(data));
            assertThat(stored).isEqualTo(data);
        }
    }

    /**
     * The core hands a chunk beyond what this driver holds (its partial ends at 40, the chunk
     * starts at 50): the chunk is reported failed at 40, which the partial keeps, not written
     * and not acknowledged; resent from 40, the snapshot completes and verifies.
     */
    @Test
    void aChunkBeyondThePartialSnapshotIsReportedFailedAtWhatIsHeldAndTheTransferResumesThere() throws Exception {
        byte[] data = randomBytes(100);
        SnapshotStore followerStore = store();
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, followerStore);
        RaftCore core = mock(RaftCore.class);
        receiver.write(chunk(data, 7, 0, 40), core);
        Ready.SnapshotWrite gap = chunk(data, 7, 50, 100);
        receiver.write(gap, core);
        verify(core).snapshotWriteFailed(gap, 40);
        verify(core, never()).snapshotReceived(org.mockito.ArgumentMatchers.anyLong(),
                org.mockito.ArgumentMatchers.anyLong(), org.mockito.ArgumentMatchers.anyBoolean());

        receiver.write(chunk(data, 7, 40, 100), core);
        verify(core).snapshotReceived(7, 2, true);
        assertHolds(followerStore, 7, data);
    }

    /** Without a partial snapshot (discarded, or the driver restarted) a chunk past 0 restarts the transfer. */
    @Test
    void aChunkWithoutAPartialSnapshotIsReportedFailedAtZero() {
        byte[] data = randomBytes(100);
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, store());
        RaftCore core = mock(RaftCore.class);
        Ready.SnapshotWrite w = chunk(data, 7, 60, 100);
        receiver.write(w, core);
        verify(core).snapshotWriteFailed(w, 0);
        org.mockito.Mockito.verifyNoMoreInteractions(core);
    }

    /** A chunk of another snapshot past offset 0: the partial one is useless for it, and is discarded. */
    @Test
    void aChunkOfAnotherSnapshotDiscardsThePartialOneAndRestartsAtZero() {
        byte[] data = randomBytes(100);
        byte[] other = randomBytes(120);
        SnapshotStore followerStore = store();
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, followerStore);
        RaftCore core = mock(RaftCore.class);
        receiver.write(chunk(data, 7, 0, 40), core);
        Ready.SnapshotWrite foreign = chunk(other, 9, 40, 120);
        receiver.write(foreign, core);
        verify(core).snapshotWriteFailed(foreign, 0);
        Ready.SnapshotWrite rest = chunk(data, 7, 40, 100);
        receiver.write(rest, core);
        verify(core).snapshotWriteFailed(rest, 0);
        assertThat(followerStore.list()).isEmpty();
    }

    /**
     * A restart in the middle of a transfer loses the partial snapshot (never committed, so the
     * store shows nothing): the first chunk after it is reported failed at 0, and the transfer
     * from 0 completes with a snapshot that verifies.
     */
    @Test
    void aRestartMidTransferLosesThePartialSnapshotAndTheTransferFromZeroCompletes() throws Exception {
        byte[] data = randomBytes(10_000);
        SnapshotStore followerStore = store();
        RaftCore before = mock(RaftCore.class);
        SnapshotReceiver first = new SnapshotReceiver(PEER, followerStore);
        first.write(chunk(data, 40, 0, 3000), before);
        first.write(chunk(data, 40, 3000, 6000), before);
        verify(before, org.mockito.Mockito.times(2)).snapshotChunkWritten(any());
        first.close(); // the node stops
        assertThat(followerStore.list()).isEmpty();

        RaftCore after = mock(RaftCore.class);
        SnapshotReceiver second = new SnapshotReceiver(PEER, followerStore);
        Ready.SnapshotWrite next = chunk(data, 40, 6000, 9000);
        second.write(next, after);
        verify(after).snapshotWriteFailed(next, 0);
        for (int from = 0; from < data.length; from += 3000) {
            second.write(chunk(data, 40, from, Math.min(data.length, from + 3000)), after);
        }
        verify(after).snapshotReceived(40, 2, true);
        assertHolds(followerStore, 40, data);
    }

    /** Snapshots whose writers were closed (discarded unless committed), by the {@link #failing} store. */
    private final java.util.List<SnapshotMeta> discarded = new java.util.ArrayList<>();

    /** A snapshot store whose writers fail as told. */
    private SnapshotStore failing(SnapshotStore real, boolean create, boolean write, boolean commit) {
        return new SnapshotStore() {
            @Override
            public Writer create(SnapshotMeta meta) {
                if (create) {
                    throw new StorageException("cannot create a snapshot file in /x/snapshots: No space left on device");
                }
                Writer w = real.create(meta);
                return new Writer() {
                    @Override
                    public java.io.OutputStream stream() {
                        return new java.io.OutputStream() {
                            @Override
                            public void write(int b) throws IOException {
                                write(new byte[] {(byte) b}, 0, 1);
                            }

                            @Override
                            public void write(byte[] b, int off, int len) throws IOException {
                                if (write) {
                                    throw new IOException("Input/output error");
                                }
                                w.stream().write(b, off, len);
                            }
                        };
                    }

                    @Override
                    public SnapshotMeta commit() {
                        if (commit) {
                            throw new StorageException("cannot publish snapshot /x/snapshots/2-7.snp: Read-only file system");
                        }
                        return w.commit();
                    }

                    @Override
                    public void close() {
                        discarded.add(meta);
                        w.close();
                    }
                };
            }

            @Override
            public java.util.Optional<Reader> openLatest() {
                return real.openLatest();
            }

            @Override
            public java.util.List<SnapshotMeta> list() {
                return real.list();
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    /** A store that cannot create the snapshot file is a storage failure: it stops the loop, nothing is reported. */
    @Test
    void aSnapshotStoreThatCannotCreateTheSnapshotIsAStorageFailureNamingTheSnapshot() {
        byte[] data = randomBytes(100);
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, failing(store(), true, false, false));
        RaftCore core = mock(RaftCore.class);
        assertThatThrownBy(() -> receiver.write(chunk(data, 7, 0, 60), core))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("node-2").hasMessageContaining("snapshot " + SnapshotMeta.of(7, 2).name())
                .hasMessageContaining("No space left on device");
        org.mockito.Mockito.verifyNoInteractions(core);
    }

    /** An I/O error writing a chunk: the partial snapshot is discarded, the chunk never reported written. */
    @Test
    void anIoErrorWritingAChunkIsAStorageFailureAndDiscardsThePartialSnapshot() {
        byte[] data = randomBytes(100);
        SnapshotStore real = store();
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, failing(real, false, true, false));
        RaftCore core = mock(RaftCore.class);
        assertThatThrownBy(() -> receiver.write(chunk(data, 8, 0, 60), core))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("bytes [0, 60) of snapshot " + SnapshotMeta.of(8, 2).name())
                .hasMessageContaining("Input/output error");
        org.mockito.Mockito.verifyNoInteractions(core);
        assertThat(discarded).contains(SnapshotMeta.of(8, 2));
        assertThat(real.list()).isEmpty();
    }

    /** A commit that fails: a storage failure, and the snapshot is not reported received. */
    @Test
    void aFailedCommitIsAStorageFailureAndTheSnapshotIsNotReportedReceived() {
        byte[] data = randomBytes(100);
        SnapshotStore real = store();
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, failing(real, false, false, true));
        RaftCore core = mock(RaftCore.class);
        receiver.write(chunk(data, 7, 0, 60), core);
        assertThatThrownBy(() -> receiver.write(chunk(data, 7, 60, 100), core))
                .isInstanceOf(StorageException.class).hasMessageContaining("cannot commit snapshot")
                .hasMessageContaining("Read-only file system");
        verify(core).snapshotChunkWritten(any());
        verify(core, never()).snapshotReceived(org.mockito.ArgumentMatchers.anyLong(),
                org.mockito.ArgumentMatchers.anyLong(), org.mockito.ArgumentMatchers.anyBoolean());
        assertThat(real.list()).isEmpty();
    }

    @Test
    void aNewerLocalSnapshotIsSentFromItsStartInsteadOfTheRequestedOne() throws Exception {
        SnapshotStore leaderStore = store();
        put(leaderStore, 40, 3, randomBytes(500));
        byte[] newer = randomBytes(300);
        put(leaderStore, 90, 4, newer);
        RaftCore core = mock(RaftCore.class);
        new SnapshotSender(leaderStore).read(new Ready.SnapshotRead(PEER, 40, 3, 200, 1000), core);
        ArgumentCaptor<SnapshotChunk> chunk = ArgumentCaptor.forClass(SnapshotChunk.class);
        verify(core).snapshotChunkRead(chunk.capture());
        assertThat(chunk.getValue().snapshotIndex()).isEqualTo(90);
        assertThat(chunk.getValue().offset()).isZero();
        assertThat(chunk.getValue().data()).isEqualTo(newer);
        assertThat(chunk.getValue().last()).isTrue();
    }

    @Test
    void withoutALocalSnapshotTheReadFails() {
        RaftCore core = mock(RaftCore.class);
        new SnapshotSender(store()).read(new Ready.SnapshotRead(PEER, 40, 3, 0, 1000), core);
        verify(core).snapshotReadFailed(eq(PEER), anyString());
        verify(core, never()).snapshotChunkRead(any());
    }
}
