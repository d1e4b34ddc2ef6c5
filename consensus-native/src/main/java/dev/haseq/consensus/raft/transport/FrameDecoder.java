package dev.haseq.consensus.raft.transport;

import dev.haseq.api.codec.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits the byte stream into {@link Envelope.Frame}s and verifies each one. It rejects a stream
 * as early as the bytes allow: a wrong magic on the first byte, a wrong version on the second, an
 * oversized length as soon as the header is in (before buffering the payload), a bad checksum once
 * the frame is complete. After the first bad frame everything else on the connection is discarded
 * (the handler closes it). One decoder per channel; not thread-safe.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxPayload;
    private final CRC32C crc = new CRC32C();
    private boolean failed;

    FrameDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int readable = in.readableBytes();
        int at = in.readerIndex();
        if (readable < 1) {
            return;
        }
        int magic = in.getUnsignedByte(at);
        if (magic != Envelope.MAGIC) {
            throw fail(CloseReason.GARBAGE, String.format("bad frame magic 0x%02x (expected 0x%02x): not a haseq "
                    + "Raft peer (is another service pointed at raft_addr?)", magic, Envelope.MAGIC));
        }
        if (readable < 2) {
            return;
        }
        int version = in.getUnsignedByte(at + 1);
        if (version != Envelope.VERSION) {
            throw fail(CloseReason.GARBAGE, "unsupported frame version " + version + " (this build speaks "
                    + Envelope.VERSION + "): upgrade every cluster member to a compatible release");
        }
        if (readable < Envelope.HEADER_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(at + 4);
        if (length > maxPayload) {
            throw fail(CloseReason.OVERSIZED_FRAME, "frame payload of " + length + " bytes exceeds the limit of "
                    + maxPayload);
        }
        int payloadLength = (int) length;
        int total = Envelope.OVERHEAD + payloadLength;
        if (readable < total) {
            return;
        }
        crc.reset();
        crc.update(in.nioBuffer(at, Envelope.HEADER_BYTES + payloadLength));
        int stored = in.getInt(at + Envelope.HEADER_BYTES + payloadLength);
        if ((int) crc.getValue() != stored) {
            throw fail(CloseReason.BAD_CHECKSUM, String.format("frame checksum mismatch (stored %08x, computed %08x): "
                    + "corrupted in transit", stored, (int) crc.getValue()));
        }
        int type = in.getUnsignedShort(at + 2);
        byte[] payload = new byte[payloadLength];
        in.getBytes(at + Envelope.HEADER_BYTES, payload);
        in.skipBytes(total);
        out.add(new Envelope.Frame(type, payload));
    }

    private FrameException fail(CloseReason reason, String message) {
        failed = true;
        return new FrameException(reason, message);
    }
}
