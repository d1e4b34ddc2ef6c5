package dev.haseq.launcher.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the commands read from the process around them, passed in so tests can supply their own.
 *
 * @param env      environment variables
 * @param userHome the user's home directory ({@code ~})
 */
public record LaunchEnvironment(Map<String, String> env, Path userHome) {
    public LaunchEnvironment {
        if (env == null || userHome == null) {
            throw new IllegalArgumentException("LaunchEnvironment fields must not be null");
        }
        env = Map.copyOf(env);
    }

    /** The real process environment. */
    public static LaunchEnvironment system() {
        return new LaunchEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }
}
