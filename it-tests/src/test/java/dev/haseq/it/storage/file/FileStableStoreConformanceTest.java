package dev.haseq.it.storage.file;

import dev.haseq.api.storage.RaftLayout;
import dev.haseq.api.storage.StableStoreProvider;
import dev.haseq.it.storage.Damage;
import dev.haseq.it.storage.FileDamage;
import dev.haseq.it.storage.StableStoreConformance;
import dev.haseq.storage.file.FileStableStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The stable store conformance suite against the {@code file} provider. */
class FileStableStoreConformanceTest extends StableStoreConformance {

    @Override
    protected StableStoreProvider provider() {
        return new FileStableStoreProvider();
    }

    @Override
    protected void damageStableState(Path dir, Damage damage) throws IOException {
        Path file = dir.resolve(RaftLayout.STABLE_FILE);
        FileDamage.damageRange(file, 0, Files.size(file), damage);
    }
}
