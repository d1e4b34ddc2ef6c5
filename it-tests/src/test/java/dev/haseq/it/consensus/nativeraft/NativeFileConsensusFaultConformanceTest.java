package dev.haseq.it.consensus.nativeraft;

import dev.haseq.api.consensus.ConsensusNode;
import dev.haseq.it.consensus.ConsensusFaultConformance;

/** The consensus suite (the failure cases) against the {@code native} provider on the {@code file} log store. */
class NativeFileConsensusFaultConformanceTest extends ConsensusFaultConformance {
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
