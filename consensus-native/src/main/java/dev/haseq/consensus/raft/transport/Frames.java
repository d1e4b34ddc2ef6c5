package dev.haseq.consensus.raft.transport;

import dev.haseq.api.codec.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.zip.CRC32C;

/**
 * The transport's frame types and the encoder. A frame on the wire is exactly an
 * {@link Envelope} (magic, version, type, length, payload, CRC32C), so the same bytes could be
 * decoded by {@link Envelope#unwrap}; this class writes it straight into a pooled buffer.
 *
 * <p>Type ids sit at the top of the native-Raft range of {@link dev.haseq.api.codec.TypeIds}
 * (100-199), away from the core's message ids, which start at the bottom.
 */
final class Frames {
    /** First frame in each direction: protocol version, cluster id, node id ({@link Handshake}). */
    static final int HANDSHAKE = 197;
    /** The acceptor refuses the handshake; payload: a UTF-8 reason. Sent just before closing. */
    static final int REJECT = 198;
    /** An opaque payload from {@link Transport#send}. */
    static final int MESSAGE = 199;

    private Frames() {
    }

    static int frameBytes(int payloadBytes) {
        return Envelope.OVERHEAD + payloadBytes;
    }

    static ByteBuf encode(ByteBufAllocator alloc, int type, byte[] payload) {
        ByteBuf buf = alloc.ioBuffer(Envelope.OVERHEAD + payload.length);
        buf.writeByte(Envelope.MAGIC);
        buf.writeByte(Envelope.VERSION);
        buf.writeShort(type);
        buf.writeInt(payload.length);
        buf.writeBytes(payload);
        CRC32C crc = new CRC32C();
        crc.update(buf.nioBuffer(buf.readerIndex(), Envelope.HEADER_BYTES + payload.length));
        buf.writeInt((int) crc.getValue());
        return buf;
    }
}
