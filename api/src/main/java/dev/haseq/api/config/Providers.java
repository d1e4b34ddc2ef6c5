package dev.haseq.api.config;

import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds providers with {@link ServiceLoader} (module path and class path) and picks one by the
 * name configuration gives. An unknown name is a {@link ConfigException} listing the names found.
 */
public final class Providers {
    private Providers() {
    }

    /** Every provider of a kind visible to this module, in discovery order. */
    public static <P> List<P> all(Class<P> kind) {
        return ServiceLoader.load(kind, Providers.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /**
     * @param kind     the SPI, e.g. {@code LogStoreProvider.class}
     * @param nameOf   how to read a provider's name
     * @param key      the config key that chose it, for the error message
     * @param wanted   the configured name
     */
    public static <P> P select(Class<P> kind, Function<P, String> nameOf, String key, String wanted) {
        List<P> found = all(kind);
        return found.stream().filter(p -> nameOf.apply(p).equals(wanted)).findFirst()
                .orElseThrow(() -> new ConfigException(List.of(new ConfigProblem(key, key + " '" + wanted
                        + "' is not an available " + kind.getSimpleName() + "; available: "
                        + (found.isEmpty() ? "none (is the provider's jar on the module path?)"
                        : found.stream().map(nameOf).sorted().collect(Collectors.joining(", ")))))));
    }
}
