package dev.haseq.launcher.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test helpers: load a configuration from an injected environment, flags and file. */
final class Loading {
    static final Path USER_HOME = Path.of("/home/operator");

    private Loading() {
    }

    static ConfigLoad load(Map<String, String> env, Path file, String... flags) {
        List<EvnodeFlags.Flag> parsed = EvnodeFlags.parse(Arrays.asList(flags), ConfigKeys.builtIn());
        return new ConfigLoader(env, USER_HOME).load(new ConfigRequest(Optional.ofNullable(file), Optional.empty(),
                parsed));
    }

    /** Loads with no file at all: the home is pointed at an empty directory so nothing is discovered. */
    static ConfigLoad loadWithoutFile(Path emptyHome, Map<String, String> env, String... flags) {
        List<EvnodeFlags.Flag> parsed = EvnodeFlags.parse(Arrays.asList(flags), ConfigKeys.builtIn());
        return new ConfigLoader(env, USER_HOME).load(new ConfigRequest(Optional.empty(),
                Optional.of(emptyHome.toString()), parsed));
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages of every error, for assertions. */
    static List<String> errors(ConfigLoad load) {
        return load.errors().stream().map(p -> p.message()).toList();
    }

    static List<String> warnings(ConfigLoad load) {
        return load.warnings().stream().map(p -> p.message()).toList();
    }

    /** The repository's examples/ directory (tests run in node-launcher/). */
    static Path examples() {
        Path p = Path.of("..", "examples");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("examples/ not found from " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
