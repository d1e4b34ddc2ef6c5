package dev.haseq.it.consensus.nativeraft;

import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.it.consensus.ConsensusConformance;

/** The consensus suite (the healthy-cluster cases) against the {@code native} provider on the {@code chronicle} log store. */
class NativeChronicleConsensusConformanceTest extends ConsensusConformance {
    @Override
    protected String providerName() {
        return "native";
    }

    @Override
    protected String logStoreName() {
        return "chronicle";
    }

    @Override
    protected void crash(ConsensusNode node) {
        NativeCrash.crash(node);
    }
}
