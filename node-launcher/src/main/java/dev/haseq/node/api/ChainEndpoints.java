package dev.haseq.node.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haseq.api.BlockHeader;
import dev.haseq.api.SignedHeader;
import dev.haseq.api.Tx;
import dev.haseq.api.consensus.ConsensusStatus;
import dev.haseq.node.chain.ChainHead;
import dev.haseq.node.chain.CommittedBlock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code GET /blocks/{height}}, {@code GET /blocks?from=&to=} and {@code GET /status} (docs/api.md). */
final class ChainEndpoints {
    private static final HexFormat HEX = HexFormat.of();
    private final NodeApi node;

    ChainEndpoints(NodeApi node) {
        this.node = node;
    }

    ApiResponse block(String heightText) {
        OptionalLong height = parseHeight(heightText);
        if (height.isEmpty()) {
            return ApiResponse.error(400, "bad block height '" + heightText + "': expected a number >= 1");
        }
        Optional<CommittedBlock> b = node.chain().committedBlock(height.getAsLong());
        if (b.isEmpty()) {
            return ApiResponse.error(404, "block " + height.getAsLong() + " is not stored on this node (head is "
                    + node.chain().head().height() + ")");
        }
        return ApiResponse.json(200, blockJson(b.get()));
    }

    ApiResponse blocks(ApiRequest req) {
        int max = node.settings().maxBlockRange();
        Optional<String> fromText = req.param("from");
        if (fromText.isEmpty()) {
            return ApiResponse.error(400, "GET /blocks needs ?from=<height> (and optionally &to=<height>, at most "
                    + max + " blocks)");
        }
        OptionalLong from = parseHeight(fromText.get());
        if (from.isEmpty()) {
            return ApiResponse.error(400, "bad 'from' height '" + fromText.get() + "': expected a number >= 1");
        }
        long to = from.getAsLong() + max - 1;
        Optional<String> toText = req.param("to");
        if (toText.isPresent()) {
            OptionalLong t = parseHeight(toText.get());
            if (t.isEmpty() || t.getAsLong() < from.getAsLong()) {
                return ApiResponse.error(400, "bad 'to' height '" + toText.get() + "': expected a number >= from ("
                        + from.getAsLong() + ")");
            }
            if (t.getAsLong() - from.getAsLong() + 1 > max) {
                return ApiResponse.error(400, "range " + from.getAsLong() + ".." + t.getAsLong() + " has more than "
                        + max + " blocks; ask for at most " + max + " per request");
            }
            to = t.getAsLong();
        }
        List<CommittedBlock> blocks = node.chain().committedBlocks(from.getAsLong(), to, max);
        ObjectNode body = ApiResponse.object().put("from", from.getAsLong()).put("to", to);
        ArrayNode arr = body.putArray("blocks");
        blocks.forEach(b -> arr.add(blockJson(b)));
        return ApiResponse.json(200, body);
    }

    ApiResponse status() {
        ConsensusStatus s = node.consensus().status();
        ChainHead head = node.chain().head();
        ObjectNode body = ApiResponse.object().put("node_id", node.self().value())
                .put("role", s.role().name().toLowerCase(java.util.Locale.ROOT));
        RaftEndpoints.putLeader(body, s.leader());
        body.put("term", s.term());
        body.set("head", headJson(head));
        body.put("catching_up", node.chain().isCatchingUp());
        ObjectNode mp = body.putObject("mempool");
        mp.put("size", node.mempool().size()).put("bytes", node.mempool().bytes());
        return ApiResponse.json(200, body);
    }

    static ObjectNode headJson(ChainHead head) {
        ObjectNode h = ApiResponse.object().put("height", head.height()).put("hash", head.hash().hex())
                .put("timestamp_nanos", head.timestampNanos()).put("state_root", head.stateRoot().hex());
        h.putObject("da_progress").put("block_height", head.daProgress().blockHeight())
                .put("da_height", head.daProgress().daHeight());
        return h;
    }

    private ObjectNode blockJson(CommittedBlock b) {
        SignedHeader signed = node.signer().sign(b);
        BlockHeader h = b.header();
        ObjectNode o = ApiResponse.object().put("height", h.height()).put("hash", h.hash().hex());
        o.putObject("header").put("height", h.height()).put("timestamp_nanos", h.timestampNanos())
                .put("previous_hash", h.previousHash().hex()).put("data_hash", h.dataHash().hex())
                .put("state_root", h.stateRoot().hex()).put("proposer", h.proposer().value());
        o.put("signature", HEX.formatHex(signed.signature()));
        ArrayNode txs = o.putArray("txs");
        ArrayNode hashes = o.putArray("tx_hashes");
        for (Tx tx : b.block().txs()) {
            txs.add(Base64.getEncoder().encodeToString(tx.data()));
            hashes.add(tx.hash().hex());
        }
        return o;
    }

    static OptionalLong parseHeight(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long v = Long.parseLong(text);
        return v >= 1 ? OptionalLong.of(v) : OptionalLong.empty();
    }
}
