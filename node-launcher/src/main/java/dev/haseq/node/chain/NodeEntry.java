package dev.haseq.node.chain;

import dev.haseq.api.Block;

/**
 * What the node proposes through Raft. Each kind is one {@link dev.haseq.api.codec.Envelope} frame
 * type (see {@link NodeTypeIds}); {@link NodeEntryCodec} encodes and decodes them.
 */
public sealed interface NodeEntry {

    /** A block proposed by the leader. */
    record BlockEntry(Block block) implements NodeEntry {
        public BlockEntry {
            if (block == null) {
                throw new IllegalArgumentException("block must not be null");
            }
        }
    }

    /** The leader's DA submitter records that blocks up to {@code progress.blockHeight()} are on the DA layer. */
    record DaProgressEntry(DaProgress progress) implements NodeEntry {
        public DaProgressEntry {
            if (progress == null) {
                throw new IllegalArgumentException("progress must not be null");
            }
        }
    }
}
