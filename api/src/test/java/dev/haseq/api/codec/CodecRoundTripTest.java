package dev.haseq.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.NodeId;
import dev.haseq.api.SignedHeader;
import dev.haseq.api.Tx;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Property tests over seeded random values: every codec round-trips, and every single-byte
 * corruption or truncation of an encoded value is detected (never decodes to a wrong value).
 */
class CodecRoundTripTest {
    private static final int CASES = 300;

    private static Hash hash(SplittableRandom r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return new Hash(b);
    }

    private static byte[] bytes(SplittableRandom r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    private static BlockHeader header(SplittableRandom r) {
        return new BlockHeader(1 + r.nextLong(Long.MAX_VALUE - 1), r.nextLong(), hash(r), hash(r), hash(r),
                NodeId.of("node-" + r.nextInt(1000)));
    }

    private static Block block(SplittableRandom r) {
        List<Tx> txs = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            txs.add(new Tx(bytes(r, 200)));
        }
        return new Block(header(r), txs);
    }

    private static <T> void roundTrips(ValueCodec<T> codec, Function<SplittableRandom, T> gen) {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < CASES; i++) {
            T value = gen.apply(r);
            byte[] encoded = codec.encode(value);
            assertThat(codec.decode(encoded)).isEqualTo(value);
        }
    }

    @Test
    void everyDomainCodecRoundTrips() {
        roundTrips(Codecs.TX, r -> new Tx(bytes(r, 300)));
        roundTrips(Codecs.BLOCK_HEADER, CodecRoundTripTest::header);
        roundTrips(Codecs.BLOCK, CodecRoundTripTest::block);
        roundTrips(Codecs.SIGNED_HEADER, r -> new SignedHeader(header(r), bytes(r, 64)));
        roundTrips(Codecs.TERM_AND_VOTE, r -> new TermAndVote(r.nextLong(Long.MAX_VALUE),
                r.nextBoolean() ? Optional.of(NodeId.of("n" + r.nextInt(9))) : Optional.empty()));
        roundTrips(Codecs.SNAPSHOT_META, r -> new SnapshotMeta(r.nextLong(Long.MAX_VALUE), r.nextLong(Long.MAX_VALUE),
                r.nextLong()));
        roundTrips(Codecs.LOG_ENTRY, r -> new LogEntry(1 + r.nextLong(1 << 40), r.nextLong(1 << 20), bytes(r, 500)));
    }

    @Test
    void everySingleByteCorruptionIsDetected() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            Block b = block(r);
            byte[] encoded = Codecs.BLOCK.encode(b);
            for (int pos = 0; pos < encoded.length; pos++) {
                byte[] bad = encoded.clone();
                bad[pos] ^= (byte) (1 + r.nextInt(255));
                assertThatThrownBy(() -> Codecs.BLOCK.decode(bad))
                        .as("flipping byte %d of %d", pos, encoded.length)
                        .isInstanceOf(CodecException.class);
            }
        }
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] encoded = Codecs.BLOCK.encode(block(new SplittableRandom(3)));
        for (int len = 0; len < encoded.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(encoded, len);
            assertThatThrownBy(() -> Codecs.BLOCK.decode(cut)).isInstanceOf(CodecException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void trailingBytesAfterAFrameAreRejected() {
        byte[] encoded = Codecs.TX.encode(new Tx(new byte[] {1, 2, 3}));
        byte[] longer = java.util.Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> Codecs.TX.decode(longer)).isInstanceOf(CodecException.class)
                .hasMessageContaining("after the frame");
    }

    @Test
    void aFrameOfAnotherTypeIsRejected() {
        byte[] tx = Codecs.TX.encode(new Tx(new byte[] {1}));
        assertThatThrownBy(() -> Codecs.BLOCK.decode(tx)).isInstanceOf(CodecException.class)
                .hasMessageContaining("expected frame type 3, got 1");
    }

    @Test
    void unknownVersionAndMagicAreNamed() {
        byte[] tx = Codecs.TX.encode(new Tx(new byte[] {1}));
        byte[] v2 = tx.clone();
        v2[1] = 2;
        assertThatThrownBy(() -> Codecs.TX.decode(v2)).hasMessageContaining("unsupported frame version 2");
        byte[] garbage = tx.clone();
        garbage[0] = 'G';
        assertThatThrownBy(() -> Codecs.TX.decode(garbage)).hasMessageContaining("not a haseq frame");
    }

    @Test
    void oversizedLengthIsRefusedBeforeAllocating() {
        byte[] frame = Envelope.wrap(1, new byte[10]);
        assertThatThrownBy(() -> Envelope.unwrap(frame, 0, frame.length, 5))
                .isInstanceOf(CodecException.class).hasMessageContaining("exceeds the limit of 5");
        byte[] huge = frame.clone();
        huge[4] = (byte) 0x7F; // length ~2 GiB
        assertThatThrownBy(() -> Envelope.readFrom(new ByteArrayInputStream(huge), 1 << 20))
                .isInstanceOf(CodecException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void streamsReadFramesBackToBackAndReportCleanEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            Envelope.writeTo(out, 9, new byte[] {(byte) i, 0, 1});
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        for (int i = 0; i < 5; i++) {
            Envelope.Frame f = Envelope.readFrom(in, 100);
            assertThat(f.type()).isEqualTo(9);
            assertThat(f.payload()).containsExactly(i, 0, 1);
        }
        assertThat(Envelope.readFrom(in, 100)).isNull();
    }

    @Test
    void aStreamEndingInsideAFrameIsTruncation() {
        byte[] frame = Envelope.wrap(9, new byte[20]);
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 3);
        assertThatThrownBy(() -> Envelope.readFrom(new ByteArrayInputStream(cut), 100))
                .isInstanceOf(CodecException.class).hasMessageContaining("truncated");
    }

    @Test
    void readerRejectsImpossibleCountsAndBadUtf8() {
        ByteWriter w = new ByteWriter().i32(1_000_000);
        assertThatThrownBy(() -> new ByteReader(w.toByteArray()).count(4))
                .isInstanceOf(CodecException.class).hasMessageContaining("impossible item count");
        byte[] badUtf8 = new ByteWriter().bytes(new byte[] {(byte) 0xC3, (byte) 0x28}).toByteArray();
        assertThatThrownBy(() -> new ByteReader(badUtf8).string()).hasMessageContaining("UTF-8");
    }

    @Test
    void invalidFieldValuesInsideAValidFrameBecomeCodecExceptions() {
        // a header with height 0 is checksummed correctly but is not a valid value
        ByteWriter w = new ByteWriter().i64(0).i64(1).hash(Hash.ZERO).hash(Hash.ZERO).hash(Hash.ZERO).string("n1");
        byte[] frame = Envelope.wrap(TypeIds.BLOCK_HEADER, w.toByteArray());
        assertThatThrownBy(() -> Codecs.BLOCK_HEADER.decode(frame)).isInstanceOf(CodecException.class)
                .hasMessageContaining("height starts at 1");
    }
}
