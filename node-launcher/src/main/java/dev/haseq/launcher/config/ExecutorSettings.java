package dev.haseq.launcher.config;

/**
 * The {@code executor.*} keys.
 *
 * @param provider the executor's name ({@code kv} = the built-in key-value executor)
 */
public record ExecutorSettings(String provider) {
    public static final String PROVIDER = "executor.provider";

    public ExecutorSettings {
        if (provider == null || provider.isEmpty()) {
            throw new IllegalArgumentException("executor provider must be named");
        }
    }

    static ExecutorSettings parse(ValueReader r) {
        return new ExecutorSettings(r.providerName(PROVIDER, false));
    }
}
