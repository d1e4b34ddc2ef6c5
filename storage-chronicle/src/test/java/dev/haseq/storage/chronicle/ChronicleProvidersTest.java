package dev.haseq.storage.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.config.Providers;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.storage.BlockStoreProvider;
import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageEvents;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleProvidersTest {
    @TempDir
    Path home;

    @Test
    void bothProvidersAreFoundByServiceLoaderAsChronicle() {
        assertThat(Providers.all(LogStoreProvider.class)).extracting(LogStoreProvider::name).contains("chronicle");
        assertThat(Providers.all(BlockStoreProvider.class)).extracting(BlockStoreProvider::name).contains("chronicle");
        assertThat(RaftSettings.DEFAULT_LOG_STORE).isEqualTo(ChronicleLogStoreProvider.NAME);
    }

    @Test
    void loadingTheProviderDisablesChronicleAnalyticsWhateverTheJvmWasStartedWith() {
        System.clearProperty(ChronicleDefaults.ANALYTICS_DISABLE); // surefire passes -D...=true: undo it
        System.setProperty(ChronicleDefaults.ANALYTICS_DISABLE, "false"); // an operator trying to turn it on
        LogStoreProvider p = Providers.select(LogStoreProvider.class, LogStoreProvider::name, "raft.log_store", "chronicle");
        assertThat(System.getProperty(ChronicleDefaults.ANALYTICS_DISABLE)).isEqualTo("true");
        System.clearProperty(ChronicleDefaults.ANALYTICS_DISABLE);
        try (LogStore log = p.open(new StorageContext(home.resolve("raft-log"),
                RaftSettings.parse(Map.of(), home).orThrow(), StorageEvents.NONE))) {
            assertThat(System.getProperty(ChronicleDefaults.ANALYTICS_DISABLE)).as("set again before a queue is built")
                    .isEqualTo("true");
            log.append(List.of(new LogEntry(1, 1, new byte[] {1})));
            log.sync();
        }
        assertThat(net.openhft.chronicle.core.analytics.AnalyticsFacade.isEnabled()).isFalse();
    }

    @Test
    void theAnalyticsClientIsNotShippedAtAll() {
        assertThat(ModuleLayer.boot().findModule("chronicle.analytics")).isEmpty();
        assertThat(ClassLoader.getSystemClassLoader().getResource("net/openhft/chronicle/analytics/Analytics.class")).isNull();
    }
}
