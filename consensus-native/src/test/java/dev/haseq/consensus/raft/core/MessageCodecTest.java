package dev.haseq.consensus.raft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.ByteWriter;
import dev.haseq.api.codec.CodecException;
import dev.haseq.api.codec.Envelope;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.consensus.raft.core.Message.AppendRequest;
import dev.haseq.consensus.raft.core.Message.AppendResponse;
import dev.haseq.consensus.raft.core.Message.Heartbeat;
import dev.haseq.consensus.raft.core.Message.HeartbeatResponse;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotRequest;
import dev.haseq.consensus.raft.core.Message.InstallSnapshotResponse;
import dev.haseq.consensus.raft.core.Message.PreVoteRequest;
import dev.haseq.consensus.raft.core.Message.PreVoteResponse;
import dev.haseq.consensus.raft.core.Message.TimeoutNow;
import dev.haseq.consensus.raft.core.Message.VoteRequest;
import dev.haseq.consensus.raft.core.Message.VoteResponse;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final NodeId A = NodeId.of("node-1");
    private static final NodeId B = NodeId.of("node-2");

    static List<Message> samples() {
        List<LogEntry> entries = List.of(new LogEntry(8, 3, new byte[0]), new LogEntry(9, 4, new byte[] {1, 2, 3}),
                new LogEntry(10, 4, new byte[1000]));
        return List.of(
                new PreVoteRequest(A, B, 5, 100, 4),
                new PreVoteResponse(B, A, 5, true),
                new VoteRequest(A, B, 5, 100, 4, true),
                new VoteResponse(B, A, 5, false),
                new AppendRequest(A, B, 4, 7, 3, entries, 9),
                new AppendRequest(A, B, 4, 10, 4, List.of(), 10),
                new AppendResponse(B, A, 4, false, 7, 5, 2),
                new Heartbeat(A, B, 4, 9, 123_456),
                new HeartbeatResponse(B, A, 4, 123_456),
                new InstallSnapshotRequest(A, B, 4, 500, 3, 10, 0xCAFEBABE, 4, new byte[] {1, 2, 3, 4, 5, 6}, true),
                new InstallSnapshotResponse(B, A, 4, 500, 3, 10, true),
                new TimeoutNow(A, B, 4));
    }

    @Test
    void everyMessageTypeRoundTrips() {
        List<Message> all = samples();
        assertThat(all.stream().map(MessageCodec::type).distinct()).hasSize(11);
        for (Message m : all) {
            byte[] frame = MessageCodec.encode(m);
            assertThat(MessageCodec.decode(frame)).isEqualTo(m);
            assertThat(MessageCodec.type(m)).isBetween(100, 199);
        }
    }

    @Test
    void decodedAppendEntriesCarryTheirIndexes() {
        AppendRequest r = (AppendRequest) MessageCodec.decode(MessageCodec.encode(samples().get(4)));
        assertThat(r.entries()).extracting(LogEntry::index).containsExactly(8L, 9L, 10L);
        assertThat(r.lastIndex()).isEqualTo(10);
    }

    @Test
    void anyCorruptedByteIsDetected() {
        byte[] frame = MessageCodec.encode(samples().get(4));
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < frame.length; i++) {
            byte[] bad = frame.clone();
            bad[i] ^= (byte) (1 + rnd.nextInt(255));
            assertThatThrownBy(() -> MessageCodec.decode(bad)).as("byte %d flipped", i)
                    .isInstanceOf(CodecException.class);
        }
    }

    @Test
    void truncatedFramesAreRefused() {
        byte[] frame = MessageCodec.encode(samples().get(9));
        for (int len = 0; len < frame.length; len++) {
            byte[] cut = Arrays.copyOf(frame, len);
            assertThatThrownBy(() -> MessageCodec.decode(cut)).isInstanceOf(CodecException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void aFrameOfAnotherKindIsNotAMessage() {
        byte[] frame = Envelope.wrap(7, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> MessageCodec.decode(frame)).isInstanceOf(CodecException.class)
                .hasMessageContaining("not a Raft message");
    }

    @Test
    void wellFramedButImpossibleContentIsRefusedWithTheReason() {
        ByteWriter w = header(MessageCodec.APPEND_REQUEST, 4);
        w.i64(7).i64(3).i64(9).i32(2).i64(4).bytes(new byte[1]).i64(3).bytes(new byte[1]); // terms 4 then 3
        assertThatThrownBy(() -> MessageCodec.decode(Envelope.wrap(MessageCodec.APPEND_REQUEST, w.toByteArray())))
                .isInstanceOf(CodecException.class).hasMessageContaining("AppendRequest")
                .hasMessageContaining("term 3");

        ByteWriter count = header(MessageCodec.APPEND_REQUEST, 4);
        count.i64(7).i64(3).i64(9).i32(1_000_000);
        assertThatThrownBy(() -> MessageCodec.decode(Envelope.wrap(MessageCodec.APPEND_REQUEST, count.toByteArray())))
                .isInstanceOf(CodecException.class).hasMessageContaining("impossible item count");

        ByteWriter chunk = header(MessageCodec.INSTALL_SNAPSHOT_REQUEST, 4);
        chunk.i64(500).i64(3).i64(10).i32(0).i64(8).bool(false).bytes(new byte[5]); // 8 + 5 > 10
        assertThatThrownBy(() -> MessageCodec.decode(Envelope.wrap(MessageCodec.INSTALL_SNAPSHOT_REQUEST,
                chunk.toByteArray()))).isInstanceOf(CodecException.class).hasMessageContaining("does not fit");

        ByteWriter badId = new ByteWriter().string("no spaces allowed").string("b").i64(1);
        assertThatThrownBy(() -> MessageCodec.decode(Envelope.wrap(MessageCodec.TIMEOUT_NOW, badId.toByteArray())))
                .isInstanceOf(CodecException.class).hasMessageContaining("node id");

        ByteWriter trailing = header(MessageCodec.TIMEOUT_NOW, 4).u8(0);
        assertThatThrownBy(() -> MessageCodec.decode(Envelope.wrap(MessageCodec.TIMEOUT_NOW, trailing.toByteArray())))
                .isInstanceOf(CodecException.class).hasMessageContaining("trailing");
    }

    private static ByteWriter header(int type, long term) {
        return new ByteWriter().string("a").string("b").i64(term);
    }
}
