package dev.haseq.launcher.config;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.ConfigProblem;
import dev.haseq.api.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values from the merged flat key → text map and collects one error per bad key,
 * each naming the key, the value and the expected form. A bad value reads as the built-in default
 * so parsing can go on and report every error; {@link #ok} tells checks that span several keys
 * to skip keys that already failed. Not thread-safe; one per load.
 */
final class ValueReader {
    private static final String HOME_PREFIX = "<home>";

    private final Map<String, String> values;
    private final ConfigKeys keys;
    private final Path home;
    private final Path userHome;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final Set<String> failed = new HashSet<>();

    ValueReader(Map<String, String> values, ConfigKeys keys, Path home, Path userHome) {
        this.values = values;
        this.keys = keys;
        this.home = home;
        this.userHome = userHome;
    }

    List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    /** True if none of the keys had an error. */
    boolean ok(String... keysToCheck) {
        for (String k : keysToCheck) {
            if (failed.contains(k)) {
                return false;
            }
        }
        return true;
    }

    void error(String key, String message) {
        errors.add(new ConfigProblem(key, message));
        failed.add(key);
    }

    String text(String key) {
        String v = values.get(key);
        return v == null ? "" : v.strip();
    }

    private String fallback(String key) {
        return keys.defaultText(key);
    }

    boolean bool(String key) {
        String v = text(key);
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                // Same wording as RaftSettings, so node.aggregator (read by both) reports once.
                error(key, key + " must be true or false, got '" + v + "'");
                yield Boolean.parseBoolean(fallback(key));
            }
        };
    }

    /** A positive duration: {@code 92ms}, {@code 1s}, {@code 1m30s}. */
    Duration duration(String key) {
        String v = text(key);
        try {
            Duration d = Durations.parse(v);
            if (d.isPositive()) {
                return d;
            }
            error(key, key + " must be positive, got '" + v + "' (default " + fallback(key) + ")");
        } catch (IllegalArgumentException e) {
            error(key, key + ": " + e.getMessage() + " (default " + fallback(key) + ")");
        }
        return Durations.parse(fallback(key));
    }

    /** A byte size within [min, max]. */
    long bytes(String key, long min, long max) {
        String v = text(key);
        try {
            long n = ByteSizes.parse(v);
            if (n >= min && n <= max) {
                return n;
            }
            error(key, key + " must be between " + ByteSizes.format(min) + " and " + ByteSizes.format(max)
                    + ", got '" + v + "' (default " + fallback(key) + ")");
        } catch (IllegalArgumentException e) {
            error(key, key + ": " + e.getMessage() + " (default " + fallback(key) + ")");
        }
        return ByteSizes.parse(fallback(key));
    }

    /** A whole number within [min, max]. */
    long count(String key, long min, long max) {
        String v = text(key);
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n >= min && n <= max) {
                return n;
            }
            error(key, key + " must be between " + min + " and " + max + ", got " + n + " (default "
                    + fallback(key) + ")");
        } catch (NumberFormatException e) {
            error(key, key + " must be a whole number, got '" + v + "' (default " + fallback(key) + ")");
        }
        return Long.parseLong(fallback(key));
    }

    HostPort hostPort(String key) {
        String v = text(key);
        try {
            return HostPort.parse(v);
        } catch (IllegalArgumentException e) {
            error(key, key + " '" + v + "' is not host:port (" + e.getMessage() + "), e.g. " + key + ": \""
                    + fallback(key) + "\"");
            return HostPort.parse(fallback(key));
        }
    }

    /** A provider name such as {@code kv}; empty is allowed only if {@code optional}. */
    String providerName(String key, boolean optional) {
        String v = text(key);
        if (v.isEmpty() && optional) {
            return v;
        }
        if (!v.matches("[a-z0-9][a-z0-9_-]*")) {
            error(key, key + " must be a provider name (lower-case letters, digits, '-', '_')"
                    + (optional ? " or empty for none" : "") + ", got '" + v + "'");
            return fallback(key);
        }
        return v;
    }

    Multiaddr multiaddr(String key) {
        String v = text(key);
        try {
            return Multiaddr.parse(v);
        } catch (IllegalArgumentException e) {
            error(key, key + ": " + e.getMessage());
            return Multiaddr.parse(fallback(key));
        }
    }

    /** Comma-separated multiaddrs; empty means none. */
    List<Multiaddr> multiaddrs(String key) {
        List<Multiaddr> out = new ArrayList<>();
        forEachListEntry(key, "multiaddrs", part -> {
            try {
                out.add(Multiaddr.parse(part));
            } catch (IllegalArgumentException e) {
                error(key, key + " entry " + e.getMessage());
            }
        });
        return out;
    }

    /** Comma-separated {@code nodeID@host:port}; empty means none; every id at most once. */
    Map<NodeId, HostPort> peerAddresses(String key) {
        Map<NodeId, HostPort> out = new LinkedHashMap<>();
        forEachListEntry(key, "nodeID@host:port", part -> {
            try {
                PeerAddress p = PeerAddress.parse(part);
                if (out.putIfAbsent(p.id(), p.address()) != null) {
                    error(key, key + " lists node id " + p.id() + " twice");
                }
            } catch (IllegalArgumentException e) {
                error(key, key + " entry '" + part.strip() + "' is malformed: " + e.getMessage()
                        + "; expected nodeID@host:port, e.g. node-2@10.0.0.2:7331");
            }
        });
        return out;
    }

    /** Hands each entry of a comma-separated list to {@code entry}; an empty entry is an error. */
    private void forEachListEntry(String key, String form, java.util.function.Consumer<String> entry) {
        String v = text(key);
        if (v.isEmpty()) {
            return;
        }
        for (String part : v.split(",")) {
            if (part.isBlank()) {
                error(key, key + " has an empty entry (two commas in a row, or a trailing comma): list "
                        + form + " separated by commas");
                continue;
            }
            entry.accept(part);
        }
    }

    /** A path; {@code <home>/}, {@code ~/} and relative paths are resolved (see {@link #resolvePath}). */
    Path path(String key) {
        String v = text(key);
        if (v.isEmpty()) {
            error(key, key + " must not be empty (default " + fallback(key) + ")");
            v = fallback(key);
        }
        return resolvePath(v, home, userHome);
    }

    /**
     * Resolves a configured path: a leading {@code <home>} is the node's home, a leading {@code ~}
     * the user's home directory, any other relative path is relative to the node's home.
     */
    static Path resolvePath(String text, Path home, Path userHome) {
        if (text.equals(HOME_PREFIX) || text.startsWith(HOME_PREFIX + "/")) {
            return home.resolve(text.substring(HOME_PREFIX.length()).replaceFirst("^/+", "")).normalize();
        }
        if (text.equals("~") || text.startsWith("~/")) {
            return userHome.resolve(text.substring(1).replaceFirst("^/+", "")).normalize();
        }
        return home.resolve(text).normalize();
    }
}
