package dev.haseq.launcher.config;

import dev.haseq.api.config.ConfigException;
import dev.haseq.api.config.ConfigProblem;
import java.util.List;
import java.util.Optional;

/**
 * The result of {@link ConfigLoader#load}: the configuration when there is no error, plus every
 * error and warning found (each naming its key and, for a value that did not come from the
 * defaults, where it was set).
 */
public record ConfigLoad(Optional<HaseqConfig> config, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
    public ConfigLoad {
        if (config == null || errors == null || warnings == null) {
            throw new IllegalArgumentException("ConfigLoad fields must not be null");
        }
        if (config.isPresent() == !errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigLoad has a config exactly when it has no errors");
        }
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** The configuration, or a {@link ConfigException} listing every error. */
    public HaseqConfig orThrow() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config.orElseThrow();
    }
}
