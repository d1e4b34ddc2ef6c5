package dev.haseq.it.storage.file;

import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStoreProvider;
import dev.haseq.it.storage.Damage;
import dev.haseq.it.storage.FileDamage;
import dev.haseq.it.storage.SnapshotStoreConformance;
import dev.haseq.storage.file.FileSnapshotStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The snapshot store conformance suite against the {@code file} provider (28-byte header, 20-byte trailer). */
class FileSnapshotStoreConformanceTest extends SnapshotStoreConformance {

    @Override
    protected SnapshotStoreProvider provider() {
        return new FileSnapshotStoreProvider();
    }

    @Override
    protected void damageSnapshot(Path dir, SnapshotMeta meta, Damage damage) throws IOException {
        Path file = dir.resolve(meta.name() + ".snp");
        // Inside the payload: a cut loses the trailer, a flip breaks the payload checksum.
        FileDamage.damageRange(file, 28, Files.size(file) - 20, damage);
    }
}
