package dev.haseq.launcher.config;

import dev.haseq.api.config.ConfigProblem;
import dev.haseq.api.config.RaftSettings;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's whole configuration, typed and validated (build it with {@link ConfigLoader}).
 * Besides the typed sections it keeps every key's effective value and its source, for
 * {@code haseq config check} and for error messages, and the warnings found while loading.
 *
 * @param home       the node's home directory (absolute)
 * @param configFile the config file read, if any, as the operator named it
 * @param raft       {@code raft.*}, parsed and checked by {@link RaftSettings#parse}
 * @param node       {@code node.*}
 * @param rpc        {@code rpc.*}
 * @param metrics    {@code metrics.*}
 * @param p2p        {@code p2p.*}
 * @param da         {@code da.*}
 * @param executor   {@code executor.*}
 * @param storage    {@code storage.*}
 * @param settings   every known key → its effective value and source, in display order
 * @param warnings   problems that do not stop the node
 */
public record HaseqConfig(Path home, Optional<Path> configFile, RaftSettings raft, NodeSettings node,
                          RpcSettings rpc, MetricsSettings metrics, P2pSettings p2p, DaSettings da,
                          ExecutorSettings executor, StorageSettings storage, Map<String, Setting> settings,
                          List<ConfigProblem> warnings) {

    public HaseqConfig {
        if (home == null || configFile == null || raft == null || node == null || rpc == null || metrics == null
                || p2p == null || da == null || executor == null || storage == null || settings == null || warnings == null) {
            throw new IllegalArgumentException("HaseqConfig fields must not be null; build it with ConfigLoader");
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        warnings = List.copyOf(warnings);
    }

    /** Where the effective value of {@code key} came from. */
    public ConfigSource sourceOf(String key) {
        Setting s = settings.get(key);
        if (s == null) {
            throw new IllegalArgumentException("unknown key " + key);
        }
        return s.source();
    }
}
