package dev.haseq.api.exec;

import java.nio.file.Path;
import java.util.Map;

/** Creates {@link Executor}s; found with {@code ServiceLoader}, selected by {@code executor.provider}. */
public interface ExecutorProvider {

    String name();

    /**
     * @param dataDir a directory the executor owns
     * @param options the {@code executor.options.*} config keys, without the prefix
     */
    Executor open(Path dataDir, Map<String, String> options);
}
