package dev.haseq.consensus.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.codec.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Test
    void framesWrittenByTheEncoderAreExactlyEnvelopes() {
        byte[] payload = "hello raft".getBytes();
        byte[] wire = bytes(Frames.encode(ByteBufAllocator.DEFAULT, Frames.MESSAGE, payload));
        assertThat(wire).isEqualTo(Envelope.wrap(Frames.MESSAGE, payload));
        Envelope.Frame f = Envelope.unwrap(wire);
        assertThat(f.type()).isEqualTo(Frames.MESSAGE);
        assertThat(f.payload()).isEqualTo(payload);
    }

    @Test
    void decodesFramesSplitAtEveryByteAndBackToBack() {
        byte[] a = Envelope.wrap(Frames.MESSAGE, new byte[] {1, 2, 3});
        byte[] b = Envelope.wrap(Frames.HANDSHAKE, new byte[0]);
        byte[] stream = new byte[a.length + b.length];
        System.arraycopy(a, 0, stream, 0, a.length);
        System.arraycopy(b, 0, stream, a.length, b.length);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        for (byte x : stream) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        }
        Envelope.Frame first = ch.readInbound();
        Envelope.Frame second = ch.readInbound();
        assertThat(first.type()).isEqualTo(Frames.MESSAGE);
        assertThat(first.payload()).containsExactly(1, 2, 3);
        assertThat(second.type()).isEqualTo(Frames.HANDSHAKE);
        assertThat(second.payload()).isEmpty();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void rejectsAWrongMagicOnTheFirstByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'})))
                .isInstanceOf(DecoderException.class)
                .cause().isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CloseReason.GARBAGE);
                    assertThat(e.getMessage()).contains("magic");
                });
    }

    @Test
    void rejectsAnOversizedLengthFromTheHeaderAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        ByteBuf header = Unpooled.buffer().writeByte(Envelope.MAGIC).writeByte(Envelope.VERSION).writeShort(1)
                .writeInt(1025);
        assertThatThrownBy(() -> ch.writeInbound(header))
                .cause().isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.reason()).isEqualTo(CloseReason.OVERSIZED_FRAME);
                    assertThat(e.getMessage()).contains("1025").contains("1024");
                });
    }

    @Test
    void acceptsAFrameOfExactlyTheMaximum() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(Envelope.wrap(Frames.MESSAGE, new byte[1024])));
        Envelope.Frame f = ch.readInbound();
        assertThat(f.payload()).hasSize(1024);
    }

    @Test
    void rejectsABadChecksumAndIgnoresEverythingAfterIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        byte[] bad = Envelope.wrap(Frames.MESSAGE, new byte[] {7});
        bad[bad.length - 2] ^= 1;
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad)))
                .cause().isInstanceOfSatisfying(FrameException.class,
                        e -> assertThat(e.reason()).isEqualTo(CloseReason.BAD_CHECKSUM));
        ch.writeInbound(Unpooled.wrappedBuffer(Envelope.wrap(Frames.MESSAGE, new byte[] {8})));
        assertThat((Object) ch.readInbound()).isNull();
    }
}
