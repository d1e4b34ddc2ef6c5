package dev.haseq.launcher.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.haseq.api.config.ConfigException;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.EvnodeFlags;
import dev.haseq.launcher.config.ConfigKeys;
import dev.haseq.launcher.config.HaseqConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectedProvidersTest {
    @TempDir
    Path home;

    private HaseqConfig config(String... flags) {
        return new ConfigLoader(Map.of(), home).load(new ConfigRequest(Optional.empty(), Optional.of(home.toString()),
                EvnodeFlags.parse(List.of(flags), ConfigKeys.builtIn()))).orThrow();
    }

    @Test
    void theDefaultNamesSelectTheBuiltInProviders() {
        SelectedProviders p = SelectedProviders.select(config());

        assertThat(p.consensus().name()).isEqualTo("native");
        assertThat(p.logStore().name()).isEqualTo("chronicle");
        assertThat(p.stableStore().name()).isEqualTo("file");
        assertThat(p.snapshotStore().name()).isEqualTo("file");
        assertThat(p.blockStore().name()).isEqualTo("chronicle");
        assertThat(p.executor().name()).isEqualTo("kv");
        assertThat(p.da()).isEmpty();
    }

    @Test
    void theFileLogStoreIsSelectedByName() {
        assertThat(SelectedProviders.select(config("--evnode.raft.log_store=file")).logStore().name()).isEqualTo("file");
    }

    @Test
    void everyUnknownNameIsReportedAtOnceWithTheAvailableProviders() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SelectedProviders.select(config(
                "--evnode.raft.log_store=rocks", "--evnode.raft.provider=etcd", "--evnode.executor.provider=evm",
                "--evnode.da.provider=celestia")));

        assertThat(e.problems()).extracting(p -> p.message()).containsExactlyInAnyOrder(
                "raft.provider 'etcd' is not an available ConsensusProvider; available: native",
                "raft.log_store 'rocks' is not an available LogStoreProvider; available: chronicle, file",
                "executor.provider 'evm' is not an available ExecutorProvider; available: kv",
                "da.provider 'celestia' is not an available DataAvailabilityProvider; available: none (is the "
                        + "provider's jar on the module path?)");
    }
}
