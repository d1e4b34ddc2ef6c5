package dev.haseq.launcher.setup;

import dev.haseq.launcher.config.ConfigKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes flat configuration values ({@code raft.node_id -> node-1}) as an {@code evnode.yaml}:
 * one mapping per section, sections in the order {@code config check} shows them. Every key must be
 * one haseq knows. {@code true}/{@code false} and whole numbers are written bare, everything else
 * double-quoted, so no value can change meaning in YAML (e.g. {@code 1s}, {@code no}, {@code 0x1}).
 */
public final class ConfigFileWriter {
    private static final List<String> SECTION_ORDER = List.of("node", "raft", "storage", "rpc", "metrics", "p2p", "da",
            "executor");

    private ConfigFileWriter() {
    }

    /**
     * @param header comment lines (without {@code #})
     * @param values key → value; {@code home} is allowed, every other key has one section level
     * @throws IllegalArgumentException naming a key haseq does not know
     */
    public static String yaml(List<String> header, Map<String, String> values) {
        ConfigKeys keys = ConfigKeys.builtIn();
        Map<String, Map<String, String>> sections = new TreeMap<>((a, b) -> Integer.compare(rank(a), rank(b)) != 0
                ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
        StringBuilder out = new StringBuilder();
        for (String line : header) {
            out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        String home = null;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            if (!keys.isKnown(key)) {
                throw new IllegalArgumentException("unknown configuration key " + key);
            }
            if (key.equals(ConfigKeys.HOME)) {
                home = e.getValue();
                continue;
            }
            int dot = key.indexOf('.');
            sections.computeIfAbsent(key.substring(0, dot), s -> new LinkedHashMap<>())
                    .put(key.substring(dot + 1), e.getValue());
        }
        if (home != null) {
            out.append("home: ").append(scalar(home)).append('\n');
        }
        for (Map.Entry<String, Map<String, String>> s : sections.entrySet()) {
            out.append('\n').append(s.getKey()).append(":\n");
            for (Map.Entry<String, String> kv : s.getValue().entrySet()) {
                out.append("  ").append(kv.getKey()).append(": ").append(scalar(kv.getValue())).append('\n');
            }
        }
        return out.toString();
    }

    private static int rank(String section) {
        int i = SECTION_ORDER.indexOf(section);
        return i < 0 ? SECTION_ORDER.size() : i;
    }

    /** A YAML scalar: booleans and plain whole numbers bare, anything else in double quotes. */
    static String scalar(String value) {
        if (value.equals("true") || value.equals("false") || value.matches("[1-9][0-9]{0,17}|0")) {
            return value;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Splits {@code a,b,,c} into trimmed non-empty parts. */
    public static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String p : commaSeparated.split(",")) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        return out;
    }
}
