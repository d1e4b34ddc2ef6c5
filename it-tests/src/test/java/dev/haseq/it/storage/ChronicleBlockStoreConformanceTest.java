package dev.haseq.it.storage;

import dev.haseq.api.storage.BlockStoreProvider;
import dev.haseq.storage.chronicle.ChronicleBlockStoreProvider;
import dev.haseq.storage.chronicle.QueueOptions;
import java.util.List;

/** The block store contract on the {@code chronicle} provider. */
class ChronicleBlockStoreConformanceTest extends BlockStoreConformance {

    @Override
    protected BlockStoreProvider provider() {
        return new ChronicleBlockStoreProvider();
    }

    @Override
    protected List<String> crashChildJvmFlags() {
        return List.of("-D" + QueueOptions.BLOCK_ROLL_CYCLE_PROPERTY + "=TEST_SECONDLY");
    }
}
