package dev.haseq.node.exec;

import dev.haseq.api.exec.Executor;
import dev.haseq.api.exec.ExecutorProvider;
import java.nio.file.Path;
import java.util.Map;

/** The {@code kv} executor ({@link KvExecutor}); the default {@code executor.provider}. Takes no options. */
public final class KvExecutorProvider implements ExecutorProvider {
    public static final String NAME = "kv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Executor open(Path dataDir, Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("the kv executor takes no executor.options, got " + options.keySet());
        }
        return new KvExecutor();
    }
}
