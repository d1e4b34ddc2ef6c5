package dev.haseq.api.codec;

import dev.haseq.api.Block;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.NodeId;
import dev.haseq.api.SignedHeader;
import dev.haseq.api.Tx;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.TermAndVote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The codecs of the domain values in this module. */
public final class Codecs {
    private Codecs() {
    }

    public static final ValueCodec<Tx> TX = new ValueCodec<>() {
        @Override
        public int type() {
            return TypeIds.TX;
        }

        @Override
        public void write(Tx v, ByteWriter out) {
            out.bytes(v.data());
        }

        @Override
        public Tx read(ByteReader in) {
            return new Tx(in.bytes());
        }
    };

    public static final ValueCodec<BlockHeader> BLOCK_HEADER = new ValueCodec<>() {
        @Override
        public int type() {
            return TypeIds.BLOCK_HEADER;
        }

        @Override
        public void write(BlockHeader h, ByteWriter out) {
            out.i64(h.height()).i64(h.timestampNanos()).hash(h.previousHash()).hash(h.dataHash())
                    .hash(h.stateRoot()).string(h.proposer().value());
        }

        @Override
        public BlockHeader read(ByteReader in) {
            return new BlockHeader(in.i64(), in.i64(), in.hash(), in.hash(), in.hash(), NodeId.of(in.string()));
        }
    };

    public static final ValueCodec<Block> BLOCK = new ValueCodec<>() {
        @Override
        public int type() {
            return TypeIds.BLOCK;
        }

        @Override
        public void write(Block b, ByteWriter out) {
            BLOCK_HEADER.write(b.header(), out);
            out.i32(b.txs().size());
            for (Tx tx : b.txs()) {
                out.bytes(tx.data());
            }
        }

        @Override
        public Block read(ByteReader in) {
            BlockHeader h = BLOCK_HEADER.read(in);
            int n = in.count(4);
            List<Tx> txs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                txs.add(new Tx(in.bytes()));
            }
            return new Block(h, txs);
        }
    };

    public static final ValueCodec<SignedHeader> SIGNED_HEADER = new ValueCodec<>() {
        @Override
        public int type() {
            return TypeIds.SIGNED_HEADER;
        }

        @Override
        public void write(SignedHeader s, ByteWriter out) {
            BLOCK_HEADER.write(s.header(), out);
            out.bytes(s.signature());
        }

        @Override
        public SignedHeader read(ByteReader in) {
            return new SignedHeader(BLOCK_HEADER.read(in), in.bytes());
        }
    };

    public static final ValueCodec<TermAndVote> TERM_AND_VOTE = new ValueCodec<>() {
        @Override
        public int type() {
            return TypeIds.TERM_AND_VOTE;
        }

        @Override
        public void write(TermAndVote v, ByteWriter out) {
            out.i64(v.term()).bool(v.votedFor().isPresent());
            v.votedFor().ifPresent(id -> out.string(id.value()));
        }

        @Override
        public TermAndVote read(ByteReader in) {
            long term = in.i64();
            Optional<NodeId> vote = in.bool() ? Optional.of(NodeId.of(in.string())) : Optional.empty();
            return new TermAndVote(term, vote);
        }
    };

    public static final ValueCodec<SnapshotMeta> SNAPSHOT_META = new ValueCodec<>() {
        @Override
        public int type() {
            return TypeIds.SNAPSHOT_META;
        }

        @Override
        public void write(SnapshotMeta m, ByteWriter out) {
            out.i64(m.index()).i64(m.term()).i64(m.size());
        }

        @Override
        public SnapshotMeta read(ByteReader in) {
            return new SnapshotMeta(in.i64(), in.i64(), in.i64());
        }
    };

    public static final ValueCodec<LogEntry> LOG_ENTRY = new ValueCodec<>() {
        @Override
        public int type() {
            return TypeIds.LOG_ENTRY;
        }

        @Override
        public void write(LogEntry e, ByteWriter out) {
            out.i64(e.index()).i64(e.term()).bytes(e.data());
        }

        @Override
        public LogEntry read(ByteReader in) {
            return new LogEntry(in.i64(), in.i64(), in.bytes());
        }
    };
}
