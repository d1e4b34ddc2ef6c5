package dev.haseq.node.chain;

import dev.haseq.api.Hash;
import dev.haseq.api.codec.ByteReader;
import dev.haseq.api.codec.ByteWriter;
import dev.haseq.api.codec.CodecException;
import dev.haseq.api.codec.Codecs;
import dev.haseq.api.codec.Envelope;

/**
 * Encodes {@link NodeEntry}s as checksummed frames and back. Stateless and thread-safe.
 *
 * <pre>
 *   BLOCK_ENTRY (200)        payload = Codecs.BLOCK payload (header, tx count, length-prefixed txs)
 *   DA_PROGRESS_ENTRY (201)  payload = i64 blockHeight, i64 daHeight
 *   CHAIN_SNAPSHOT (220)     payload = i64 height, hash, i64 timestampNanos, stateRoot, i64 daBlock, i64 daHeight
 * </pre>
 */
public final class NodeEntryCodec {
    /** A Raft entry larger than this is not one of ours (blocks are bounded far below it). */
    public static final int MAX_ENTRY_PAYLOAD = Envelope.DEFAULT_MAX_PAYLOAD;

    private NodeEntryCodec() {
    }

    public static byte[] encode(NodeEntry entry) {
        ByteWriter w = new ByteWriter(256);
        return switch (entry) {
            case NodeEntry.BlockEntry b -> {
                Codecs.BLOCK.write(b.block(), w);
                yield Envelope.wrap(NodeTypeIds.BLOCK_ENTRY, w.toByteArray());
            }
            case NodeEntry.DaProgressEntry d -> {
                w.i64(d.progress().blockHeight()).i64(d.progress().daHeight());
                yield Envelope.wrap(NodeTypeIds.DA_PROGRESS_ENTRY, w.toByteArray());
            }
        };
    }

    /**
     * @throws CodecException if the bytes are not a complete, intact node entry of a known type
     */
    public static NodeEntry decode(byte[] bytes) {
        Envelope.Frame frame = Envelope.unwrap(bytes, 0, bytes.length, MAX_ENTRY_PAYLOAD);
        ByteReader r = new ByteReader(frame.payload());
        NodeEntry entry;
        try {
            entry = switch (frame.type()) {
                case NodeTypeIds.BLOCK_ENTRY -> new NodeEntry.BlockEntry(Codecs.BLOCK.read(r));
                case NodeTypeIds.DA_PROGRESS_ENTRY -> new NodeEntry.DaProgressEntry(new DaProgress(r.i64(), r.i64()));
                default -> throw new CodecException("frame type " + frame.type() + " is not a node log entry (expected "
                        + NodeTypeIds.BLOCK_ENTRY + " or " + NodeTypeIds.DA_PROGRESS_ENTRY + ")");
            };
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid node entry of type " + frame.type() + ": " + e.getMessage(), e);
        }
        r.expectEnd();
        return entry;
    }

    static byte[] encodeHead(ChainHead head) {
        ByteWriter w = new ByteWriter(128);
        w.i64(head.height()).hash(head.hash()).i64(head.timestampNanos()).hash(head.stateRoot())
                .i64(head.daProgress().blockHeight()).i64(head.daProgress().daHeight());
        return Envelope.wrap(NodeTypeIds.CHAIN_SNAPSHOT, w.toByteArray());
    }

    static ChainHead decodeHead(Envelope.Frame frame) {
        if (frame.type() != NodeTypeIds.CHAIN_SNAPSHOT) {
            throw new CodecException("expected a chain snapshot frame (type " + NodeTypeIds.CHAIN_SNAPSHOT
                    + "), got type " + frame.type());
        }
        ByteReader r = new ByteReader(frame.payload());
        try {
            long height = r.i64();
            Hash hash = r.hash();
            long ts = r.i64();
            Hash root = r.hash();
            DaProgress da = new DaProgress(r.i64(), r.i64());
            r.expectEnd();
            return new ChainHead(height, hash, ts, root, da);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid chain snapshot head: " + e.getMessage(), e);
        }
    }
}
