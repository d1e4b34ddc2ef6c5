package dev.haseq.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.haseq.api.config.ConfigException;
import dev.haseq.api.config.ConfigProblem;
import dev.haseq.api.config.RaftSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Loads the configuration from its four sources, lowest precedence first: the built-in
 * {@code reference.conf}, the config file (YAML or HOCON), {@code EVNODE_*} environment variables,
 * {@code --evnode.*} flags (and {@code --home}). Every source is checked for unknown keys (each
 * reported with the nearest known key); the merged values are then parsed into typed sections —
 * the {@code raft.*} keys by {@link RaftSettings#parse}, which owns the guide's rules — and checked
 * across sections. All errors are collected, never just the first. The environment and the user's
 * home directory are parameters, so tests need neither. Thread-safe (no mutable state).
 */
public final class ConfigLoader {
    /** Config file names looked for in {@code <home>/config} when no {@code --config} is given. */
    public static final List<String> DEFAULT_FILES = List.of("evnode.yaml", "haseq.conf");
    private static final List<String> SECTION_ORDER = List.of(ConfigKeys.HOME, "node", "raft", "storage", "rpc",
            "metrics", "p2p", "da", "executor");

    private final ConfigKeys keys;
    private final KeySuggester suggester;
    private final Map<String, String> env;
    private final Path userHome;

    /**
     * @param env      the environment (only {@code EVNODE_*} variables are read; HOCON substitutions
     *                 may read any)
     * @param userHome the user's home directory, for {@code ~}
     */
    public ConfigLoader(Map<String, String> env, Path userHome) {
        this(ConfigKeys.builtIn(), env, userHome);
    }

    ConfigLoader(ConfigKeys keys, Map<String, String> env, Path userHome) {
        this.keys = keys;
        this.suggester = new KeySuggester(keys);
        this.env = Map.copyOf(env);
        this.userHome = userHome;
    }

    /** One source, with how to name the source of each key it sets. */
    private record Layer(Config config, Function<String, ConfigSource> sourceOf) {
    }

    public ConfigLoad load(ConfigRequest request) {
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();

        Layer flags = flagLayer(request, errors);
        Layer environment = envLayer(errors);
        Layer defaults = new Layer(keys.reference(), k -> new ConfigSource.Default());

        Optional<Path> file = request.configFile();
        if (file.isEmpty()) {
            Path preliminaryHome = home(flags.config().withFallback(environment.config()).withFallback(defaults.config()));
            file = findDefaultFile(preliminaryHome, errors);
        }
        Layer fileLayer = new Layer(ConfigFactory.empty(), k -> new ConfigSource.Default());
        if (file.isPresent()) {
            Path f = file.get();
            try {
                Config c = clean(ConfigFileReader.read(f, env), f, errors);
                fileLayer = new Layer(c, k -> new ConfigSource.File(f, c.getValue(k).origin().lineNumber()));
            } catch (ConfigException e) {
                errors.addAll(e.problems());
            }
        }

        List<Layer> layers = List.of(flags, environment, fileLayer, defaults);
        Map<String, Setting> raw = effective(layers, errors);
        Path home = home(raw.get(ConfigKeys.HOME).value());
        Map<String, String> text = new HashMap<>();
        raw.forEach((k, s) -> text.put(k, s.value()));

        Map<String, String> raftValues = new HashMap<>();
        for (String k : RaftSettings.KEYS) {
            raftValues.put(k, text.get(k));
        }
        raftValues.put(RaftSettings.NODE_AGGREGATOR, text.get(NodeSettings.AGGREGATOR));
        String raftDir = text.get(RaftSettings.RAFT_DIR).strip();
        if (!raftDir.isEmpty()) {
            raftValues.put(RaftSettings.RAFT_DIR, ValueReader.resolvePath(raftDir, home, userHome).toString());
        }
        RaftSettings.Parsed raft = RaftSettings.parse(raftValues, home);
        errors.addAll(raft.errors());
        warnings.addAll(raft.warnings());

        ValueReader reader = new ValueReader(text, keys, home, userHome);
        NodeSettings node = NodeSettings.parse(reader);
        RpcSettings rpc = RpcSettings.parse(reader, node);
        MetricsSettings metrics = MetricsSettings.parse(reader);
        P2pSettings p2p = P2pSettings.parse(reader);
        DaSettings da = DaSettings.parse(reader);
        ExecutorSettings executor = ExecutorSettings.parse(reader);
        StorageSettings storage = StorageSettings.parse(reader);
        errors.addAll(reader.errors());
        if (raft.settings().isPresent() && reader.errors().isEmpty()) {
            ConsistencyChecks.check(raft.settings().get(), node, rpc, metrics, p2p, da, storage, errors, warnings);
        }

        List<ConfigProblem> allErrors = annotate(errors, raw);
        List<ConfigProblem> allWarnings = annotate(warnings, raw);
        if (!allErrors.isEmpty()) {
            return new ConfigLoad(Optional.empty(), allErrors, allWarnings);
        }
        Map<String, Setting> shown = new LinkedHashMap<>();
        RaftSettings raftSettings = raft.settings().orElseThrow();
        raw.values().stream().sorted(displayOrder())
                .forEach(s -> shown.put(s.key(), displayed(s, home, raftSettings)));
        HaseqConfig config = new HaseqConfig(home, file, raftSettings, node, rpc, metrics, p2p, da,
                executor, storage, shown, allWarnings);
        return new ConfigLoad(Optional.of(config), List.of(), allWarnings);
    }

    private Layer flagLayer(ConfigRequest request, List<ConfigProblem> errors) {
        Map<String, ConfigSource.Flag> sources = new HashMap<>();
        Config c = ConfigFactory.empty();
        for (EvnodeFlags.Flag f : request.flags()) {
            ConfigSource.Flag source = new ConfigSource.Flag(f.flag());
            if (!keys.isKnown(f.key())) {
                errors.add(new ConfigProblem(f.key(), suggester.unknownKey(f.key(), source)));
                continue;
            }
            c = c.withValue(f.key(), ConfigValueFactory.fromAnyRef(f.value(), source.describe()));
            sources.put(f.key(), source);
        }
        if (request.home().isPresent()) {
            ConfigSource.Flag source = new ConfigSource.Flag("--home");
            c = c.withValue(ConfigKeys.HOME, ConfigValueFactory.fromAnyRef(request.home().get(), source.describe()));
            sources.put(ConfigKeys.HOME, source);
        }
        return new Layer(c, sources::get);
    }

    private Layer envLayer(List<ConfigProblem> errors) {
        Config c = ConfigFactory.empty();
        Map<String, ConfigSource.Environment> sources = new HashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith(ConfigKeys.ENV_PREFIX)) {
                continue;
            }
            Optional<String> key = keys.keyForEnv(e.getKey());
            if (key.isEmpty()) {
                errors.add(new ConfigProblem(e.getKey(), suggester.unknownVariable(e.getKey())));
                continue;
            }
            ConfigSource.Environment source = new ConfigSource.Environment(e.getKey());
            c = c.withValue(key.get(), ConfigValueFactory.fromAnyRef(e.getValue(), source.describe()));
            sources.put(key.get(), source);
        }
        return new Layer(c, sources::get);
    }

    private Optional<Path> findDefaultFile(Path home, List<ConfigProblem> errors) {
        List<Path> found = DEFAULT_FILES.stream().map(n -> home.resolve("config").resolve(n)).filter(Files::exists)
                .toList();
        if (found.size() > 1) {
            errors.add(new ConfigProblem(ConfigFileReader.KEY, "both " + found.get(0) + " and " + found.get(1)
                    + " exist: keep one, or choose with --config"));
            return Optional.empty();
        }
        return found.stream().findFirst();
    }

    /**
     * Reports and removes what the file must not contain: unknown keys, a value where a section
     * belongs and a section where a value belongs. Null values (YAML {@code key:} with nothing)
     * are removed too: such a key is left to the lower sources.
     */
    private Config clean(Config file, Path name, List<ConfigProblem> errors) {
        List<String> remove = new ArrayList<>();
        walk(file.root(), name, List.of(), errors, remove);
        Config c = file;
        for (String path : remove) {
            c = c.withoutPath(path);
        }
        return c;
    }

    private void walk(ConfigObject object, Path file, List<String> prefix, List<ConfigProblem> errors,
                      List<String> remove) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            List<String> elements = new ArrayList<>(prefix);
            elements.add(e.getKey());
            String key = String.join(".", elements);
            String path = ConfigUtil.joinPath(elements);
            ConfigValue v = e.getValue();
            ConfigSource where = new ConfigSource.File(file, v.origin().lineNumber());
            if (v.valueType() == ConfigValueType.OBJECT) {
                if (keys.isSection(key)) {
                    walk((ConfigObject) v, file, elements, errors, remove);
                    continue;
                }
                errors.add(new ConfigProblem(key, keys.isKnown(key)
                        ? key + " is a value, not a section (in " + where.location() + "): write it as " + key
                        + ": <value>"
                        : suggester.unknownSection(key, where)));
                remove.add(path);
            } else if (v.valueType() == ConfigValueType.NULL && (keys.isKnown(key) || keys.isSection(key))) {
                remove.add(path); // "raft:" or "node_id:" with nothing after it: unset
            } else if (!keys.isKnown(key)) {
                errors.add(new ConfigProblem(key, suggester.unknownKey(key, where)));
                remove.add(path);
            }
        }
    }

    /** For every known key: the value from the highest layer that sets it, and that layer's source. */
    private Map<String, Setting> effective(List<Layer> layers, List<ConfigProblem> errors) {
        Config merged = ConfigFactory.empty();
        for (Layer l : layers) {
            merged = merged.withFallback(l.config());
        }
        Map<String, Setting> out = new HashMap<>();
        for (String key : keys.all()) {
            ConfigSource source = layers.stream().filter(l -> l.config().hasPath(key)).findFirst()
                    .map(l -> l.sourceOf().apply(key)).orElseThrow();
            String value;
            try {
                value = text(merged.getValue(key));
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigProblem(key, key + " " + e.getMessage() + " (in " + source.location() + ")"));
                value = keys.defaultText(key);
            }
            out.put(key, new Setting(key, value, source));
        }
        return out;
    }

    /** A value as text; a list of plain values is joined with commas ({@code peers: [a, b]}). */
    private static String text(ConfigValue v) {
        return switch (v.valueType()) {
            case STRING -> (String) v.unwrapped();
            case NUMBER, BOOLEAN -> v.render();
            case LIST -> {
                List<String> items = new ArrayList<>();
                for (ConfigValue item : (ConfigList) v) {
                    if (item.valueType() == ConfigValueType.LIST || item.valueType() == ConfigValueType.OBJECT) {
                        throw new IllegalArgumentException("must be a plain value or a list of plain values");
                    }
                    items.add(text(item));
                }
                yield String.join(",", items);
            }
            case NULL -> "";
            case OBJECT -> throw new IllegalArgumentException("must be a plain value, not a section");
        };
    }

    private Path home(Config merged) {
        return home(text(merged.getValue(ConfigKeys.HOME)));
    }

    /** {@code ~} is the user's home directory; a relative home is relative to the working directory. */
    private Path home(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            t = keys.defaultText(ConfigKeys.HOME);
        }
        if (t.equals("~") || t.startsWith("~/")) {
            return userHome.resolve(t.substring(1).replaceFirst("^/+", "")).toAbsolutePath().normalize();
        }
        return Path.of(t).toAbsolutePath().normalize();
    }

    /** Adds where the offending value was set, unless it is a default. */
    private static List<ConfigProblem> annotate(List<ConfigProblem> problems, Map<String, Setting> settings) {
        LinkedHashSet<ConfigProblem> unique = new LinkedHashSet<>(problems);
        List<ConfigProblem> out = new ArrayList<>();
        for (ConfigProblem p : unique) {
            Setting s = settings.get(p.key());
            if (s == null || s.source() instanceof ConfigSource.Default) {
                out.add(p);
            } else {
                out.add(new ConfigProblem(p.key(), p.message() + " [set by " + s.source().describe() + "]"));
            }
        }
        return out;
    }

    /** Path keys are shown resolved, so the operator sees where files will really go. */
    private Setting displayed(Setting s, Path home, RaftSettings raft) {
        return switch (s.key()) {
            case ConfigKeys.HOME -> new Setting(s.key(), home.toString(), s.source());
            case RaftSettings.RAFT_DIR -> new Setting(s.key(), raft.raftDir().toString(), s.source());
            case NodeSettings.SIGNER_KEY, StorageSettings.DATA_DIR -> new Setting(s.key(),
                    ValueReader.resolvePath(s.value().strip(), home, userHome).toString(), s.source());
            default -> s;
        };
    }

    private static Comparator<Setting> displayOrder() {
        return Comparator.<Setting>comparingInt(s -> sectionRank(s.key()))
                .thenComparingInt(s -> raftRank(s.key()))
                .thenComparing(Setting::key);
    }

    /** The guide's raft keys in the guide's order; anything else after them. */
    private static int raftRank(String key) {
        int i = RaftSettings.KEYS.indexOf(key);
        return i < 0 ? RaftSettings.KEYS.size() : i;
    }

    private static int sectionRank(String key) {
        int dot = key.indexOf('.');
        int rank = SECTION_ORDER.indexOf(dot < 0 ? key : key.substring(0, dot));
        return rank < 0 ? SECTION_ORDER.size() : rank;
    }
}
