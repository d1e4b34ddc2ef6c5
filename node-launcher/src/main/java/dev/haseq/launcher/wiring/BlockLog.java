package dev.haseq.launcher.wiring;

import dev.haseq.node.chain.ChainHead;
import dev.haseq.node.chain.ChainListener;
import dev.haseq.node.chain.CommittedBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per applied block at DEBUG ({@code dev.haseq.chain}), one per restored snapshot at INFO.
 * Runs on the applier thread: formatting only when enabled.
 */
final class BlockLog implements ChainListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.haseq.chain");

    @Override
    public void blockApplied(long index, CommittedBlock block, ChainHead head) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("block {} {} by {} with {} txs (raft index {})", block.height(),
                    block.header().hash().hex().substring(0, 12), block.header().proposer(),
                    block.block().txs().size(), index);
        }
    }

    @Override
    public void restored(ChainHead head) {
        LOG.info("chain restored from a snapshot at height {}", head.height());
    }
}
