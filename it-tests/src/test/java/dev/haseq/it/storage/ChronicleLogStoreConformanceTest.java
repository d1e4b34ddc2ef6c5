package dev.haseq.it.storage;

import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.storage.chronicle.ChronicleLogInspector;
import dev.haseq.storage.chronicle.ChronicleLogStore;
import dev.haseq.storage.chronicle.ChronicleLogStoreProvider;
import dev.haseq.storage.chronicle.QueueOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The log store contract on the {@code chronicle} provider. */
class ChronicleLogStoreConformanceTest extends LogStoreConformance {

    @Override
    protected LogStoreProvider provider() {
        return new ChronicleLogStoreProvider();
    }

    /**
     * One-second cycles and a clock that jumps a second every 128 reads: a new file every few dozen
     * records. (More often makes the suite slow: Chronicle maps each cycle file as a reader enters it.)
     */
    @Override
    protected LogStoreProvider smallSegmentsProvider() {
        return new LogStoreProvider() {
            @Override
            public String name() {
                return ChronicleLogStoreProvider.NAME;
            }

            @Override
            public LogStore open(StorageContext context) {
                return ChronicleLogStore.open(context.directory(), QueueOptions.forLog().withRollCycle("TEST_SECONDLY")
                        .withClock(new SteppingClock(128)), context.events());
            }
        };
    }

    @Override
    protected List<String> smallSegmentsJvmFlags() {
        return List.of("-D" + QueueOptions.LOG_ROLL_CYCLE_PROPERTY + "=TEST_SECONDLY");
    }

    @Override
    protected void damageLastEntry(Path dir, Damage damage) throws IOException {
        long last = ChronicleLogInspector.bounds(dir)[1];
        ChronicleLogInspector.RecordLocation at = ChronicleLogInspector.locate(dir, last).orElseThrow();
        FileDamage.damageRange(at.file(), at.start(), at.end(), damage);
    }

    @Override
    protected String damageEntryInMiddle(Path dir) throws IOException {
        long[] b = ChronicleLogInspector.bounds(dir);
        ChronicleLogInspector.RecordLocation at = ChronicleLogInspector.locate(dir, (b[0] + b[1]) / 2).orElseThrow();
        FileDamage.damageRange(at.file(), at.start(), at.end(), Damage.BYTES_FLIPPED);
        return at.file().getFileName().toString();
    }
}
