package dev.haseq.launcher.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Error messages for keys haseq does not know, each with the nearest known key(s): a key of the
 * same section at a small edit distance ({@code raft.heartbeat_timout} →
 * {@code raft.heartbeat_timeout}), else the same key name in another section ({@code node.peers} →
 * {@code raft.peers}, {@code p2p.peers}), else any key at a small edit distance, else the keys of
 * the section or the list of sections.
 */
final class KeySuggester {
    private final ConfigKeys keys;

    KeySuggester(ConfigKeys keys) {
        this.keys = keys;
    }

    /** The message for a path that is not a known key, found at {@code where}. */
    String unknownKey(String path, ConfigSource where) {
        String in = " (in " + where.location() + ")";
        if (keys.isSection(path)) {
            return path + " is a section, not a key" + in + ": set its keys under it; " + path + " has: "
                    + String.join(", ", shortNames(path));
        }
        String parentKey = knownPrefix(path);
        if (parentKey != null) {
            return parentKey + " is a value, not a section" + in + ": write it as " + parentKey + ": <value>";
        }
        List<String> near = suggestions(path);
        if (!near.isEmpty()) {
            return "unknown key " + path + in + "; did you mean " + orList(near) + "?";
        }
        String section = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
        if (keys.isSection(section)) {
            return "unknown key " + path + in + "; " + section + " has: " + String.join(", ", shortNames(section));
        }
        return "unknown key " + path + in + "; known sections: " + String.join(", ", keys.sections())
                + ", and the top-level key " + ConfigKeys.HOME;
    }

    /** The message for a mapping at {@code path} that is not a known section. */
    String unknownSection(String path, ConfigSource where) {
        String in = " (in " + where.location() + ")";
        String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
        List<String> near = nearest(path, keys.sections());
        if (!near.isEmpty()) {
            return "unknown section " + path + in + "; did you mean " + orList(near) + "?";
        }
        if (keys.isSection(parent)) {
            return "unknown section " + path + in + "; " + parent + " has no sections, only keys: "
                    + String.join(", ", shortNames(parent));
        }
        return "unknown section " + path + in + "; known sections: " + String.join(", ", keys.sections());
    }

    /** The message for an {@code EVNODE_*} variable that names no known key. */
    String unknownVariable(String variable) {
        List<String> near = nearest(variable, keys.envNames());
        String suggestion = near.isEmpty() ? "" : "; did you mean " + near.stream()
                .map(v -> v + " (" + keys.keyForEnv(v).orElseThrow() + ")").collect(Collectors.joining(" or ")) + "?";
        return "unknown environment variable " + variable + ": no haseq key maps to it (" + ConfigKeys.ENV_PREFIX
                + " + the key in upper case, '.' as '_')" + suggestion
                + (suggestion.isEmpty() ? "; unset it, or see reference.conf for the keys" : "");
    }

    /** Known keys close to {@code path}, best first; empty if none is close. */
    List<String> suggestions(String path) {
        int dot = path.lastIndexOf('.');
        if (dot > 0 && keys.isSection(path.substring(0, dot))) {
            List<String> inSection = nearest(path, keysOf(path.substring(0, dot)));
            if (!inSection.isEmpty()) {
                return inSection;
            }
        }
        String last = path.substring(dot + 1).toLowerCase(Locale.ROOT);
        List<String> sameName = keys.all().stream()
                .filter(k -> k.substring(k.lastIndexOf('.') + 1).equals(last)).toList();
        if (!sameName.isEmpty()) {
            return sameName;
        }
        return nearest(path, keys.all());
    }

    private static List<String> nearest(String text, Iterable<String> candidates) {
        int best = Integer.MAX_VALUE;
        List<String> found = new ArrayList<>();
        String t = text.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(t, c.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                found.clear();
            }
            if (d == best) {
                found.add(c);
            }
        }
        // Further than a third of the name away, a "suggestion" is a guess that misleads more than it helps.
        return best <= Math.max(2, text.length() / 3) ? found : List.of();
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each count 1. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }

    /** The longest proper prefix of {@code path} that is a known key, or null. */
    private String knownPrefix(String path) {
        String result = null;
        int dot = path.indexOf('.');
        while (dot > 0) {
            if (keys.isKnown(path.substring(0, dot))) {
                result = path.substring(0, dot);
            }
            dot = path.indexOf('.', dot + 1);
        }
        return result;
    }

    private List<String> keysOf(String section) {
        return keys.all().stream().filter(k -> k.startsWith(section + ".")).toList();
    }

    private List<String> shortNames(String section) {
        return keysOf(section).stream().map(k -> k.substring(section.length() + 1)).toList();
    }

    private static String orList(List<String> items) {
        return String.join(" or ", items);
    }
}
