package dev.haseq.launcher.config;

/**
 * One effective configuration value and where it came from.
 *
 * @param key    the full key, e.g. {@code raft.heartbeat_timeout}
 * @param value  the value as text, as the winning source wrote it (lists joined with commas);
 *               path keys are shown resolved
 * @param source the highest-precedence source that set it
 */
public record Setting(String key, String value, ConfigSource source) {
    public Setting {
        if (key == null || value == null || source == null) {
            throw new IllegalArgumentException("Setting fields must not be null");
        }
    }
}
