package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;
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
import dev.haseq.consensus.raft.core.RaftCore;
import dev.haseq.consensus.raft.core.Ready;
import dev.haseq.consensus.raft.core.SnapshotChunk;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The leader's chunked reads and the follower's chunked writes agree byte for byte. */
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
        verify(followerCore).snapshotReceived(40, 3, true);
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

    @Test
    void aChunkThatDoesNotContinueThePartialSnapshotRestartsTheTransfer() {
        SnapshotStore followerStore = store();
        SnapshotReceiver receiver = new SnapshotReceiver(PEER, followerStore);
        RaftCore core = mock(RaftCore.class);
        receiver.write(new Ready.SnapshotWrite(7, 2, 100, 0, 0, new byte[40], false), core);
        receiver.write(new Ready.SnapshotWrite(7, 2, 100, 0, 50, new byte[50], true), core);
        verify(core).snapshotReceived(7, 2, false);
        assertThat(followerStore.list()).isEmpty();
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
