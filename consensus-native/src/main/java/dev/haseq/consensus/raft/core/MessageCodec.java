package dev.haseq.consensus.raft.core;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.ByteReader;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes {@link Message}s as {@link Envelope} frames (type ids {@value #PRE_VOTE_REQUEST} to
 * {@value #TIMEOUT_NOW}, in the Raft range of {@code TypeIds}) and decodes them back. Fields are
 * big-endian; node ids are length-prefixed UTF-8; appended entries are written as (term, data)
 * pairs because their indexes follow from {@code prevLogIndex}.
 *
 * <p>Decoding never returns a wrong message: a bad checksum, a truncated or oversized frame, an
 * unknown type, trailing bytes or an impossible field (negative index, decreasing entry terms,
 * a chunk outside its snapshot) raise {@link CodecException} naming the message type and the
 * problem. Stateless and thread-safe.
 */
public final class MessageCodec {
    public static final int PRE_VOTE_REQUEST = 100;
    public static final int PRE_VOTE_RESPONSE = 101;
    public static final int VOTE_REQUEST = 102;
    public static final int VOTE_RESPONSE = 103;
    public static final int APPEND_REQUEST = 104;
    public static final int APPEND_RESPONSE = 105;
    public static final int HEARTBEAT = 106;
    public static final int HEARTBEAT_RESPONSE = 107;
    public static final int INSTALL_SNAPSHOT_REQUEST = 108;
    public static final int INSTALL_SNAPSHOT_RESPONSE = 109;
    public static final int TIMEOUT_NOW = 110;

    /** Bytes an encoded entry takes besides its data (term + length prefix). */
    private static final int ENTRY_OVERHEAD = 12;

    private MessageCodec() {
    }

    /** The frame type id of a message. */
    public static int type(Message m) {
        return switch (m) {
            case PreVoteRequest x -> PRE_VOTE_REQUEST;
            case PreVoteResponse x -> PRE_VOTE_RESPONSE;
            case VoteRequest x -> VOTE_REQUEST;
            case VoteResponse x -> VOTE_RESPONSE;
            case AppendRequest x -> APPEND_REQUEST;
            case AppendResponse x -> APPEND_RESPONSE;
            case Heartbeat x -> HEARTBEAT;
            case HeartbeatResponse x -> HEARTBEAT_RESPONSE;
            case InstallSnapshotRequest x -> INSTALL_SNAPSHOT_REQUEST;
            case InstallSnapshotResponse x -> INSTALL_SNAPSHOT_RESPONSE;
            case TimeoutNow x -> TIMEOUT_NOW;
        };
    }

    /** True if {@code type} is one of the message types this codec decodes. */
    public static boolean isMessageType(int type) {
        return type >= PRE_VOTE_REQUEST && type <= TIMEOUT_NOW;
    }

    /** The message as one complete, checksummed frame. */
    public static byte[] encode(Message m) {
        ByteWriter w = new ByteWriter(sizeHint(m));
        w.string(m.from().value()).string(m.to().value()).i64(m.term());
        switch (m) {
            case PreVoteRequest r -> w.i64(r.lastLogIndex()).i64(r.lastLogTerm());
            case PreVoteResponse r -> w.bool(r.granted());
            case VoteRequest r -> w.i64(r.lastLogIndex()).i64(r.lastLogTerm()).bool(r.leadershipTransfer());
            case VoteResponse r -> w.bool(r.granted());
            case AppendRequest r -> {
                w.i64(r.prevLogIndex()).i64(r.prevLogTerm()).i64(r.leaderCommit()).i32(r.entries().size());
                for (LogEntry e : r.entries()) {
                    w.i64(e.term()).bytes(e.data());
                }
            }
            case AppendResponse r -> w.bool(r.success()).i64(r.index()).i64(r.hintIndex()).i64(r.hintTerm());
            case Heartbeat r -> w.i64(r.leaderCommit()).i64(r.leaderTick());
            case HeartbeatResponse r -> w.i64(r.leaderTick());
            case InstallSnapshotRequest r -> w.i64(r.snapshotIndex()).i64(r.snapshotTerm()).i64(r.totalSize())
                    .i32(r.checksum()).i64(r.offset()).bool(r.last()).bytes(r.data());
            case InstallSnapshotResponse r -> w.i64(r.snapshotIndex()).i64(r.snapshotTerm()).i64(r.nextOffset())
                    .bool(r.done());
            case TimeoutNow r -> {
            }
        }
        return Envelope.wrap(type(m), w.toByteArray());
    }

    /** Decodes a buffer holding exactly one frame (payload up to {@link Envelope#DEFAULT_MAX_PAYLOAD}). */
    public static Message decode(byte[] frame) {
        return decode(Envelope.unwrap(frame));
    }

    /** Decodes an already unwrapped (checksum-verified) frame. */
    public static Message decode(Envelope.Frame frame) {
        int type = frame.type();
        if (!isMessageType(type)) {
            throw new CodecException("frame type " + type + " is not a Raft message (expected " + PRE_VOTE_REQUEST
                    + ".." + TIMEOUT_NOW + ")");
        }
        ByteReader in = new ByteReader(frame.payload());
        Message m;
        try {
            m = read(type, in);
            in.expectEnd();
        } catch (CodecException e) {
            throw new CodecException(name(type) + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CodecException(name(type) + ": invalid field: " + e.getMessage(), e);
        }
        return m;
    }

    private static Message read(int type, ByteReader in) {
        NodeId from = NodeId.of(in.string());
        NodeId to = NodeId.of(in.string());
        long term = in.i64();
        return switch (type) {
            case PRE_VOTE_REQUEST -> new PreVoteRequest(from, to, term, in.i64(), in.i64());
            case PRE_VOTE_RESPONSE -> new PreVoteResponse(from, to, term, in.bool());
            case VOTE_REQUEST -> new VoteRequest(from, to, term, in.i64(), in.i64(), in.bool());
            case VOTE_RESPONSE -> new VoteResponse(from, to, term, in.bool());
            case APPEND_REQUEST -> readAppend(from, to, term, in);
            case APPEND_RESPONSE -> new AppendResponse(from, to, term, in.bool(), in.i64(), in.i64(), in.i64());
            case HEARTBEAT -> new Heartbeat(from, to, term, in.i64(), in.i64());
            case HEARTBEAT_RESPONSE -> new HeartbeatResponse(from, to, term, in.i64());
            case INSTALL_SNAPSHOT_REQUEST -> {
                long index = in.i64();
                long snapTerm = in.i64();
                long total = in.i64();
                int checksum = in.i32();
                long offset = in.i64();
                boolean last = in.bool();
                yield new InstallSnapshotRequest(from, to, term, index, snapTerm, total, checksum, offset, in.bytes(),
                        last);
            }
            case INSTALL_SNAPSHOT_RESPONSE -> new InstallSnapshotResponse(from, to, term, in.i64(), in.i64(), in.i64(),
                    in.bool());
            case TIMEOUT_NOW -> new TimeoutNow(from, to, term);
            default -> throw new CodecException("unknown type " + type);
        };
    }

    private static AppendRequest readAppend(NodeId from, NodeId to, long term, ByteReader in) {
        long prevIndex = in.i64();
        long prevTerm = in.i64();
        long commit = in.i64();
        int n = in.count(ENTRY_OVERHEAD);
        if (prevIndex < 0 || prevIndex > Long.MAX_VALUE - n) {
            throw new CodecException("prevLogIndex " + prevIndex + " is impossible");
        }
        List<LogEntry> entries = new ArrayList<>(n);
        long lastTerm = prevTerm;
        for (int i = 0; i < n; i++) {
            long entryTerm = in.i64();
            if (entryTerm < lastTerm || entryTerm > term) {
                throw new CodecException("entry " + (prevIndex + 1 + i) + " has term " + entryTerm
                        + ", outside [" + lastTerm + ", " + term + "] (terms never decrease and never exceed the "
                        + "message term)");
            }
            lastTerm = entryTerm;
            entries.add(new LogEntry(prevIndex + 1 + i, entryTerm, in.bytes()));
        }
        return new AppendRequest(from, to, term, prevIndex, prevTerm, entries, commit);
    }

    private static int sizeHint(Message m) {
        int base = 64;
        if (m instanceof AppendRequest r) {
            long size = base + 32;
            for (LogEntry e : r.entries()) {
                size += ENTRY_OVERHEAD + e.data().length;
            }
            return (int) Math.min(Integer.MAX_VALUE - 64, size);
        }
        if (m instanceof InstallSnapshotRequest r) {
            return base + 64 + r.data().length;
        }
        return base;
    }

    private static String name(int type) {
        return switch (type) {
            case PRE_VOTE_REQUEST -> "raft PreVoteRequest";
            case PRE_VOTE_RESPONSE -> "raft PreVoteResponse";
            case VOTE_REQUEST -> "raft VoteRequest";
            case VOTE_RESPONSE -> "raft VoteResponse";
            case APPEND_REQUEST -> "raft AppendRequest";
            case APPEND_RESPONSE -> "raft AppendResponse";
            case HEARTBEAT -> "raft Heartbeat";
            case HEARTBEAT_RESPONSE -> "raft HeartbeatResponse";
            case INSTALL_SNAPSHOT_REQUEST -> "raft InstallSnapshotRequest";
            case INSTALL_SNAPSHOT_RESPONSE -> "raft InstallSnapshotResponse";
            case TIMEOUT_NOW -> "raft TimeoutNow";
            default -> "frame type " + type;
        };
    }
}
