package dev.haseq.launcher.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the command line asks {@link ConfigLoader} for.
 *
 * @param configFile the {@code --config} file; empty = look for {@code <home>/config/evnode.yaml},
 *                   then {@code <home>/config/haseq.conf}
 * @param home       the {@code --home} flag, if given
 * @param flags      the {@code --evnode.*} flags in command-line order (a later one wins)
 */
public record ConfigRequest(Optional<Path> configFile, Optional<String> home, List<EvnodeFlags.Flag> flags) {
    public ConfigRequest {
        if (configFile == null || home == null || flags == null) {
            throw new IllegalArgumentException("ConfigRequest fields must not be null");
        }
        flags = List.copyOf(flags);
    }

    /** Only a config file. */
    public static ConfigRequest ofFile(Path file) {
        return new ConfigRequest(Optional.of(file), Optional.empty(), List.of());
    }
}
