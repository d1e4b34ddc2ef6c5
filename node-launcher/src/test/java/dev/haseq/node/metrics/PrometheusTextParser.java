package dev.haseq.node.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests. Prometheus' Java
 * libraries (client_java 1.x: prometheus-metrics-exposition-textformats) only write this format;
 * they have no parser (Prometheus' own parsers are Go's expfmt and Python's prometheus_client), so
 * this one checks what a scraper relies on and fails with the line number on anything else:
 * line syntax, name and label grammar, escapes, float values, at most one HELP/TYPE per family
 * placed before its samples, contiguous families, sample-name suffixes allowed by the type, no
 * duplicate series, and histogram buckets that are cumulative and end at +Inf = _count.
 * Public for the launcher's tests, which scrape a running node.
 */
public final class PrometheusTextParser {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, String help, List<Sample> samples) {
        public Optional<Sample> sample(String sampleName, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name.equals(sampleName) && s.labels.equals(labels)).findFirst();
        }
    }

    public static final class ParseException extends RuntimeException {
        ParseException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private PrometheusTextParser() {
    }

    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new ParseException(0, "exposition must end with a newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        Set<String> typed = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            int no = i + 1;
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    requireName(no, name);
                    if (!name.equals(current)) {
                        if (families.containsKey(name)) {
                            throw new ParseException(no, "family " + name + " is not contiguous");
                        }
                        if (current != null) {
                            finished.add(current);
                        }
                        current = name;
                        families.put(name, new Family(name, "untyped", null, new ArrayList<>()));
                    }
                    Family f = families.get(name);
                    if (!f.samples.isEmpty()) {
                        throw new ParseException(no, parts[1] + " for " + name + " after its samples");
                    }
                    if (parts[1].equals("HELP")) {
                        if (f.help != null) {
                            throw new ParseException(no, "second HELP for " + name);
                        }
                        families.put(name, new Family(name, f.type, unescape(no, parts.length > 3 ? parts[3] : "", false),
                                f.samples));
                    } else {
                        String type = parts.length > 3 ? parts[3] : "";
                        if (!TYPES.contains(type)) {
                            throw new ParseException(no, "unknown type '" + type + "'");
                        }
                        if (!f.type.equals("untyped") || typed.contains(name)) {
                            throw new ParseException(no, "second TYPE for " + name);
                        }
                        families.put(name, new Family(name, type, f.help, f.samples));
                        typed.add(name);
                    }
                }
                continue;
            }
            Sample s = sample(no, line);
            String family = familyOf(s.name, current, families);
            if (family == null) {
                family = s.name;
                if (families.containsKey(family) || finished.contains(family)) {
                    throw new ParseException(no, "family " + family + " is not contiguous");
                }
                if (current != null) {
                    finished.add(current);
                }
                current = family;
                families.put(family, new Family(family, "untyped", null, new ArrayList<>()));
            }
            Family f = families.get(family);
            checkSuffix(no, f, s.name);
            if (!series.add(s.name + new TreeMap<>(s.labels))) {
                throw new ParseException(no, "duplicate series " + s.name + s.labels);
            }
            f.samples.add(s);
        }
        families.values().stream().filter(f -> f.type.equals("histogram")).forEach(PrometheusTextParser::checkHistogram);
        return families;
    }

    private static String familyOf(String sampleName, String current, Map<String, Family> families) {
        if (current == null) {
            return null;
        }
        if (sampleName.equals(current)) {
            return current;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (sampleName.equals(current + suffix)) {
                return current;
            }
        }
        return null;
    }

    private static void checkSuffix(int no, Family f, String sampleName) {
        String suffix = sampleName.substring(f.name.length());
        boolean ok = switch (f.type) {
            case "histogram" -> Set.of("_bucket", "_count", "_sum", "_created").contains(suffix);
            case "summary" -> Set.of("", "_count", "_sum", "_created").contains(suffix);
            case "counter" -> Set.of("", "_created").contains(suffix);
            default -> suffix.isEmpty();
        };
        if (!ok) {
            throw new ParseException(no, "sample " + sampleName + " does not belong to " + f.type + " " + f.name);
        }
    }

    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        for (Sample s : f.samples) {
            if (s.name.endsWith("_bucket")) {
                if (!s.labels.containsKey("le")) {
                    throw new ParseException(0, "bucket of " + f.name + " without le");
                }
                Map<String, String> rest = new TreeMap<>(s.labels);
                rest.remove("le");
                buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
            double prevLe = Double.NEGATIVE_INFINITY;
            double prevCount = 0;
            for (Sample b : e.getValue()) {
                double le = parseFloat(0, b.labels.get("le"));
                if (le <= prevLe || b.value < prevCount) {
                    throw new ParseException(0, f.name + " buckets are not increasing and cumulative");
                }
                prevLe = le;
                prevCount = b.value;
            }
            if (prevLe != Double.POSITIVE_INFINITY) {
                throw new ParseException(0, f.name + " has no +Inf bucket");
            }
            double count = f.sample(f.name + "_count", e.getKey()).map(Sample::value)
                    .orElseThrow(() -> new ParseException(0, f.name + " has no _count"));
            if (count != prevCount) {
                throw new ParseException(0, f.name + " +Inf bucket " + prevCount + " != _count " + count);
            }
            f.sample(f.name + "_sum", e.getKey()).orElseThrow(() -> new ParseException(0, f.name + " has no _sum"));
        }
    }

    private static Sample sample(int no, String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(no, name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new ParseException(no, "label without '='");
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new ParseException(no, "bad label name '" + label + "'");
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new ParseException(no, "label value must be quoted");
                }
                int j = eq + 2;
                StringBuilder raw = new StringBuilder();
                while (j < line.length() && line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\' && j + 1 < line.length()) {
                        raw.append(line, j, j + 2);
                        j += 2;
                    } else {
                        raw.append(line.charAt(j++));
                    }
                }
                if (j >= line.length()) {
                    throw new ParseException(no, "unterminated label value");
                }
                if (labels.put(label, unescape(no, raw.toString(), true)) != null) {
                    throw new ParseException(no, "repeated label " + label);
                }
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new ParseException(no, "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new ParseException(no, "expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new ParseException(no, "expected 'value [timestamp]'");
        }
        double value = parseFloat(no, rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ParseException(no, "bad timestamp '" + rest[1] + "'");
            }
        }
        return new Sample(name, labels, value);
    }

    private static void requireName(int no, String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new ParseException(no, "bad metric name '" + name + "'");
        }
    }

    static double parseFloat(int no, String s) {
        switch (s) {
            case "+Inf", "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new ParseException(no, "bad value '" + s + "'");
                }
                return Double.parseDouble(s);
        }
    }

    private static String unescape(int no, String s, boolean quotes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new ParseException(no, "dangling backslash");
            }
            char n = s.charAt(++i);
            switch (n) {
                case '\\' -> b.append('\\');
                case 'n' -> b.append('\n');
                case '"' -> {
                    if (!quotes) {
                        throw new ParseException(no, "\\\" is not an escape in HELP");
                    }
                    b.append('"');
                }
                default -> throw new ParseException(no, "bad escape \\" + n);
            }
        }
        return b.toString();
    }
}
