package dev.haseq.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.it.cluster.NodeClient.BlockInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks over the chains the nodes serve: contiguous, linked, and the same everywhere. */
final class Chains {
    private Chains() {
    }

    /**
     * Blocks 1..{@code upTo} of one node, checked to be contiguous from height 1 (no skipped
     * height) and linked (each previous hash is the block below's hash).
     */
    static Map<Long, BlockInfo> linkedChain(NodeProcess node, long upTo) throws IOException, InterruptedException {
        List<BlockInfo> blocks = node.api.blocks(1, upTo);
        assertThat(blocks).as("%s serves every height 1..%d", node.id, upTo).hasSize((int) upTo);
        Map<Long, BlockInfo> byHeight = new TreeMap<>();
        String previous = "0".repeat(64);
        long expected = 1;
        for (BlockInfo b : blocks) {
            assertThat(b.height()).as("%s: heights are contiguous", node.id).isEqualTo(expected);
            assertThat(b.previousHash()).as("%s: block %d links to block %d", node.id, b.height(), b.height() - 1)
                    .isEqualTo(previous);
            byHeight.put(b.height(), b);
            previous = b.hash();
            expected++;
        }
        return byHeight;
    }

    /** Every node serves the same linked chain 1..{@code upTo}: one hash and one signature per height. */
    static Map<Long, BlockInfo> sameChain(List<NodeProcess> nodes, long upTo) throws IOException, InterruptedException {
        Map<Long, BlockInfo> reference = null;
        String referenceId = null;
        for (NodeProcess n : nodes) {
            Map<Long, BlockInfo> chain = linkedChain(n, upTo);
            if (reference == null) {
                reference = chain;
                referenceId = n.id;
                continue;
            }
            for (long h = 1; h <= upTo; h++) {
                assertThat(chain.get(h).hash()).as("hash at height %d on %s and %s", h, n.id, referenceId)
                        .isEqualTo(reference.get(h).hash());
                assertThat(chain.get(h).signature()).as("signature at height %d on %s and %s", h, n.id, referenceId)
                        .isEqualTo(reference.get(h).signature());
            }
        }
        return reference;
    }

    /** Fails if a height maps to two different hashes across {@code seen} and {@code chain}. */
    static void noHeightHasTwoHashes(Map<Long, BlockInfo> seen, Map<Long, BlockInfo> chain) {
        for (Map.Entry<Long, BlockInfo> e : seen.entrySet()) {
            BlockInfo other = chain.get(e.getKey());
            if (other != null) {
                assertThat(other.hash()).as("height %d has one hash", e.getKey()).isEqualTo(e.getValue().hash());
            }
        }
    }
}
