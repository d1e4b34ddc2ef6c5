package dev.haseq.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The set of configuration keys haseq knows: exactly the leaves of the built-in
 * {@code reference.conf} (in this package, so no other library's {@code reference.conf} can mix in).
 * Also owns the environment-variable mapping: {@code EVNODE_} + the key in upper case with every
 * {@code .} written as {@code _} ({@code raft.heartbeat_timeout} ↔ {@code EVNODE_RAFT_HEARTBEAT_TIMEOUT}).
 * Variables are matched against the known keys, so underscores inside key names are no ambiguity.
 * Immutable and thread-safe.
 */
public final class ConfigKeys {
    /** The prefix of every environment variable haseq reads. */
    public static final String ENV_PREFIX = "EVNODE_";
    /** The flag prefix: {@code --evnode.<key>}. */
    public static final String FLAG_PREFIX = "--evnode.";
    /** The one top-level key that is not in a section. */
    public static final String HOME = "home";

    private static final String RESOURCE = "reference.conf";
    private static final ConfigKeys BUILT_IN = load();

    private final Config reference;
    private final SortedMap<String, ConfigValue> defaults;
    private final Map<String, String> keyByEnv;
    private final SortedSet<String> sections;

    private ConfigKeys(Config reference) {
        this.reference = reference;
        SortedMap<String, ConfigValue> d = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            d.put(e.getKey(), e.getValue());
        }
        this.defaults = Collections.unmodifiableSortedMap(d);
        Map<String, String> env = new HashMap<>();
        SortedSet<String> secs = new TreeSet<>();
        for (String key : d.keySet()) {
            String previous = env.put(envName(key), key);
            if (previous != null) {
                throw new IllegalStateException("keys " + previous + " and " + key + " map to the same variable "
                        + envName(key));
            }
            int dot = key.indexOf('.');
            while (dot > 0) {
                secs.add(key.substring(0, dot));
                dot = key.indexOf('.', dot + 1);
            }
        }
        this.keyByEnv = Map.copyOf(env);
        this.sections = Collections.unmodifiableSortedSet(secs);
    }

    /** The keys of the {@code reference.conf} shipped in this module. */
    public static ConfigKeys builtIn() {
        return BUILT_IN;
    }

    private static ConfigKeys load() {
        try (InputStream in = ConfigKeys.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the haseq jar");
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                Config c = ConfigFactory.parseReader(r, ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.CONF).setOriginDescription(RESOURCE)).resolve();
                return new ConfigKeys(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in " + RESOURCE, e);
        }
    }

    /** The defaults as a Typesafe config (every known key has a value). */
    public Config reference() {
        return reference;
    }

    /** Every known key, sorted. */
    public SortedSet<String> all() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(defaults.keySet()));
    }

    public boolean isKnown(String key) {
        return defaults.containsKey(key);
    }

    /** Whether {@code path} names a section ({@code raft}, {@code node}, ...) rather than a key. */
    public boolean isSection(String path) {
        return sections.contains(path);
    }

    /** Known sections, sorted. */
    public SortedSet<String> sections() {
        return sections;
    }

    /** Whether the key holds true/false (so {@code --evnode.<key>} alone means true). */
    public boolean isBoolean(String key) {
        ConfigValue v = defaults.get(key);
        return v != null && v.valueType() == ConfigValueType.BOOLEAN;
    }

    /** The default as text, exactly as {@code reference.conf} writes it. */
    public String defaultText(String key) {
        ConfigValue v = defaults.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown key " + key);
        }
        return String.valueOf(v.unwrapped());
    }

    /** {@code raft.heartbeat_timeout} → {@code EVNODE_RAFT_HEARTBEAT_TIMEOUT}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The key an {@code EVNODE_*} variable sets, if it is one of ours. */
    public Optional<String> keyForEnv(String variable) {
        return Optional.ofNullable(keyByEnv.get(variable));
    }

    /** Every variable haseq reads, sorted. */
    public SortedSet<String> envNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(keyByEnv.keySet()));
    }
}
