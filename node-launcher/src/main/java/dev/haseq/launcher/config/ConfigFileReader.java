package dev.haseq.launcher.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.haseq.api.config.ConfigException;
import dev.haseq.api.config.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the operator's config file into a Typesafe {@link Config} whose every value carries its
 * file and line as origin. The format follows the extension: {@code .yaml}/{@code .yml} is YAML
 * (read with Jackson's streaming YAML parser, so lines are kept, then fed to Typesafe),
 * {@code .conf} is HOCON and {@code .json} JSON (read by Typesafe). YAML keys with dots
 * ({@code raft.enable: true}) are paths, as in HOCON. YAML {@code null} (a key with nothing after
 * the colon) is kept as a null value: the key counts as present but unset.
 *
 * <p>Problems throw {@link ConfigException} with one problem naming the file and line:
 * a missing or unreadable file, malformed YAML/HOCON, a key given twice in one YAML mapping,
 * more than one YAML document, a top level that is not a mapping, nested lists.
 */
final class ConfigFileReader {
    /** The problem key for errors about the file itself. */
    static final String KEY = "config";

    private ConfigFileReader() {
    }

    /**
     * @param file    the path as the operator gave it (used in messages and origins)
     * @param env     variables HOCON substitutions ({@code ${?VAR}}) may read
     */
    static Config read(Path file, Map<String, String> env) {
        if (!Files.exists(file)) {
            throw problem(file + ": config file does not exist; check the --config path");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw problem(file + ": config file is not a readable file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return yaml(file);
        }
        if (name.endsWith(".conf")) {
            return typesafe(file, ConfigSyntax.CONF, env);
        }
        if (name.endsWith(".json")) {
            return typesafe(file, ConfigSyntax.JSON, env);
        }
        throw problem(file + ": unknown config format; name the file *.yaml or *.yml for YAML (evnode.yaml), "
                + "*.conf for HOCON (haseq.conf)");
    }

    private static ConfigException problem(String message) {
        return new ConfigException(List.of(new ConfigProblem(KEY, message)));
    }

    private static Config typesafe(Path file, ConfigSyntax syntax, Map<String, String> env) {
        try {
            Config parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                    .setSyntax(syntax).setAllowMissing(false).setOriginDescription(file.toString()));
            // Substitutions see the file itself, then the (injected) environment, never the real one.
            Map<String, String> vars = new LinkedHashMap<>();
            env.forEach((k, v) -> {
                if (k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    vars.put(k, v);
                }
            });
            Config source = parsed.withFallback(ConfigFactory.parseMap(vars, "environment"));
            return parsed.resolveWith(source, ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        } catch (com.typesafe.config.ConfigException e) {
            String where = e.origin() == null ? file.toString()
                    : file + (e.origin().lineNumber() > 0 ? ", line " + e.origin().lineNumber() : "");
            throw problem(where + ": malformed " + (syntax == ConfigSyntax.JSON ? "JSON" : "HOCON") + ": "
                    + stripOrigin(e.getMessage()));
        }
    }

    /** Typesafe prefixes messages with "file: line: "; we print our own prefix. */
    private static String stripOrigin(String message) {
        return message.replaceFirst("^.*?: \\d+: ", "");
    }

    private static Config yaml(Path file) {
        // The builder's defaults differ from new YAMLFactory(): ask for "key:" with nothing = null explicitly.
        YAMLFactory factory = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
        try (JsonParser p = factory.createParser(file.toFile())) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return ConfigFactory.empty(file.toString());
            }
            if (first != JsonToken.START_OBJECT) {
                throw problem(file + ", line " + line(p) + ": the top level must be a mapping of sections "
                        + "(node:, raft:, ...), found " + describe(first));
            }
            Section root = new Section(line(p));
            new YamlTreeReader(file, p).readMapping(root);
            if (p.nextToken() != null) {
                throw problem(file + ", line " + line(p) + ": a second YAML document (---) was found; put the "
                        + "whole configuration in one document");
            }
            return root.toValue(file).toConfig();
        } catch (JsonProcessingException e) {
            throw problem(yamlError(file, e));
        } catch (IOException e) {
            throw problem(file + ": cannot read the config file: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            // SnakeYAML reports some syntax errors as unchecked exceptions that Jackson does not wrap.
            throw problem(file + ": malformed YAML: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static final Pattern MARK = Pattern.compile("\\s*in '.*', line (\\d+), column (\\d+):?");

    /**
     * SnakeYAML's message spans several lines: what it was doing, a mark ("in 'reader', line 2,
     * column 1:"), a snippet with a caret, what went wrong, another mark. We keep the sentences and
     * the last mark, which points at the problem.
     */
    static String yamlError(Path file, JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        List<String> sentences = new ArrayList<>();
        int line = -1;
        int column = -1;
        for (String l : message.split("\n")) {
            Matcher m = MARK.matcher(l);
            if (m.matches()) {
                line = Integer.parseInt(m.group(1));
                column = Integer.parseInt(m.group(2));
            } else if (!l.isBlank() && !l.startsWith("    ")) {
                sentences.add(l.strip());
            }
        }
        JsonLocation at = e.getLocation();
        if (line < 0 && at != null && at.getLineNr() > 0) {
            line = at.getLineNr();
            column = at.getColumnNr();
        }
        String where = line > 0 ? file + ", line " + line + ", column " + column : file.toString();
        return where + ": malformed YAML: " + (sentences.isEmpty() ? "unreadable" : String.join("; ", sentences));
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_NULL -> "nothing";
            default -> "a single value";
        };
    }

    /** A YAML mapping being read: children are sections or leaf values, in file order. */
    private static final class Section {
        final int line;
        final Map<String, Object> children = new LinkedHashMap<>();

        Section(int line) {
            this.line = line;
        }

        ConfigObject toValue(Path file) {
            Map<String, Object> out = new LinkedHashMap<>();
            children.forEach((k, v) -> out.put(k, v instanceof Section s ? s.toValue(file) : v));
            return ConfigValueFactory.fromMap(out).withOrigin(origin(file, line));
        }
    }

    private static ConfigOrigin origin(Path file, int line) {
        return ConfigOriginFactory.newFile(file.toString()).withLineNumber(line);
    }

    /** Walks the token stream of one mapping and its nested mappings. */
    private record YamlTreeReader(Path file, JsonParser p) {

        void readMapping(Section into) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int keyLine = line(p);
                JsonToken valueToken = p.nextToken();
                // A dotted key is a path: raft.enable: true means raft: { enable: true }.
                String[] parts = name.split("\\.", -1);
                Section target = into;
                String prefix = "";
                for (int i = 0; i < parts.length - 1; i++) {
                    prefix += parts[i] + ".";
                    Object existing = target.children.get(parts[i]);
                    if (existing == null) {
                        Section s = new Section(keyLine);
                        target.children.put(parts[i], s);
                        target = s;
                    } else if (existing instanceof Section s) {
                        target = s;
                    } else {
                        throw twice(prefix.substring(0, prefix.length() - 1), keyLine);
                    }
                }
                String last = parts[parts.length - 1];
                Object existing = target.children.get(last);
                if (valueToken == JsonToken.START_OBJECT) {
                    Section s;
                    if (existing == null) {
                        s = new Section(keyLine);
                        target.children.put(last, s);
                    } else if (existing instanceof Section es) {
                        s = es;
                    } else {
                        throw twice(name, keyLine);
                    }
                    readMapping(s);
                } else {
                    if (existing != null) {
                        throw twice(name, keyLine);
                    }
                    target.children.put(last, leaf(valueToken, keyLine));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw problem(file + ", line " + line(p) + ": malformed YAML: expected a key, found " + describe(t));
            }
        }

        private ConfigValue leaf(JsonToken t, int keyLine) throws IOException {
            Object value = switch (t) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case START_ARRAY -> list();
                default -> throw problem(file + ", line " + line(p) + ": unsupported YAML value " + t);
            };
            return ConfigValueFactory.fromAnyRef(value).withOrigin(origin(file, keyLine));
        }

        private List<Object> list() throws IOException {
            List<Object> items = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                switch (t) {
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> items.add(p.getText());
                    case VALUE_TRUE, VALUE_FALSE -> items.add(p.getText());
                    default -> throw problem(file + ", line " + line(p) + ": a list may hold only plain values "
                            + "(e.g. peer addresses), found " + describe(t));
                }
            }
            return items;
        }

        private ConfigException twice(String key, int line) {
            return problem(file + ", line " + line + ": key " + key + " is given twice; keep one");
        }
    }
}
