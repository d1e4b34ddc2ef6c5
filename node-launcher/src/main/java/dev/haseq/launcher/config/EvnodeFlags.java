package dev.haseq.launcher.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses {@code --evnode.<key>=<value>} and {@code --evnode.<key> <value>} flags. A boolean key
 * given alone ({@code --evnode.raft.enable}) means true; it consumes a following {@code true} or
 * {@code false}; so does an unknown key given alone. Keys are not checked here: an unknown key is a configuration error reported by
 * {@link ConfigLoader} with a suggestion. Malformed flags (no value, no key, a stray argument) are
 * usage errors, thrown as {@link IllegalArgumentException}.
 */
public final class EvnodeFlags {

    /**
     * One flag.
     *
     * @param key   the config key, e.g. {@code raft.heartbeat_timeout}
     * @param value the raw value
     * @param flag  the flag as the operator wrote its name, e.g. {@code --evnode.raft.heartbeat_timeout}
     */
    public record Flag(String key, String value, String flag) {
    }

    private EvnodeFlags() {
    }

    /** The flags among {@code args}, in order; every argument must be part of one. */
    public static List<Flag> parse(List<String> args, ConfigKeys keys) {
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith(ConfigKeys.FLAG_PREFIX)) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; configuration flags are "
                        + "--evnode.<key>=<value> or --evnode.<key> <value>");
            }
            String body = arg.substring(ConfigKeys.FLAG_PREFIX.length());
            int eq = body.indexOf('=');
            String key = eq < 0 ? body : body.substring(0, eq);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("'" + arg + "' names no key; write --evnode.<key>=<value>, "
                        + "e.g. --evnode.raft.node_id=node-1");
            }
            String name = ConfigKeys.FLAG_PREFIX + key;
            if (eq >= 0) {
                flags.add(new Flag(key, body.substring(eq + 1), name));
                continue;
            }
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (keys.isBoolean(key) || (!keys.isKnown(key) && (next == null || next.startsWith("--")))) {
                // An unknown key alone is probably a misspelt boolean: keep it, so the loader can
                // report it with the nearest known key.
                if (next != null && isBooleanWord(next)) {
                    flags.add(new Flag(key, next.toLowerCase(Locale.ROOT), name));
                    i++;
                } else {
                    flags.add(new Flag(key, "true", name));
                }
                continue;
            }
            if (next == null || next.startsWith("--")) {
                throw new IllegalArgumentException(name + " needs a value: " + name + "=<value> or " + name
                        + " <value>");
            }
            flags.add(new Flag(key, next, name));
            i++;
        }
        return flags;
    }

    private static boolean isBooleanWord(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }
}
