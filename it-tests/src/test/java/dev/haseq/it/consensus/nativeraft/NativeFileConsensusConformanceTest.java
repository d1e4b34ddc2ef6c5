package dev.haseq.it.consensus.nativeraft;

import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.it.consensus.ConsensusConformance;

/** The consensus suite (the healthy-cluster cases) against the {@code native} provider on the {@code file} log store. */
class NativeFileConsensusConformanceTest extends ConsensusConformance {
    @Override
    protected String providerName() {
        return "native";
    }

    @Override
    protected String logStoreName() {
        return "file";
    }

    @Override
    protected void crash(ConsensusNode node) {
        NativeCrash.crash(node);
    }
}
