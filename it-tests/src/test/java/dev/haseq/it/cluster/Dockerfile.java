package dev.haseq.it.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile, read as text (no Docker needed): continuation lines joined,
 * comments dropped, and the few instructions the packaging checks look at in parsed form. Only
 * the forms {@code packaging/docker/Dockerfile} uses are understood (COPY without flags, JSON
 * arrays for ENTRYPOINT/CMD/VOLUME, {@code ENV k=v ...}); anything else is an error, so a new form
 * is noticed rather than misread.
 */
record Dockerfile(List<Instruction> instructions) {
    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    /** One instruction: the keyword in upper case and the rest of the (joined) line. */
    record Instruction(String keyword, String args) {
    }

    /** {@code COPY src dest}, relative to the build context. */
    record Copy(String source, String destination) {
    }

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String t = raw.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.endsWith("\\")) {
                line.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            line.append(t);
            String[] parts = line.toString().split("\\s+", 2);
            out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            line.setLength(0);
        }
        return new Dockerfile(List.copyOf(out));
    }

    private List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    private String last(String keyword) {
        List<String> found = all(keyword);
        if (found.isEmpty()) {
            throw new AssertionError("the Dockerfile has no " + keyword);
        }
        return found.getLast();
    }

    List<Copy> copies() {
        return all("COPY").stream().map(a -> {
            String[] p = a.split("\\s+");
            if (p.length != 2 || p[0].startsWith("--")) {
                throw new AssertionError("COPY " + a + ": only 'COPY <src> <dest>' is understood here");
            }
            return new Copy(p[0], p[1]);
        }).toList();
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String a : all("ENV")) {
            Matcher m = ENV_PAIR.matcher(a);
            int end = 0;
            while (m.find()) {
                if (!a.substring(end, m.start()).isBlank()) {
                    throw new AssertionError("ENV " + a + ": only 'ENV k=v ...' is understood here");
                }
                String v = m.group(2);
                env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
                end = m.end();
            }
        }
        return env;
    }

    List<Integer> exposedPorts() {
        return all("EXPOSE").stream().flatMap(a -> List.of(a.split("\\s+")).stream()).map(Integer::parseInt).toList();
    }

    List<String> entrypoint() {
        return jsonArray("ENTRYPOINT");
    }

    List<String> cmd() {
        return jsonArray("CMD");
    }

    List<String> volumes() {
        return jsonArray("VOLUME");
    }

    Optional<String> workdir() {
        List<String> w = all("WORKDIR");
        return w.isEmpty() ? Optional.empty() : Optional.of(w.getLast());
    }

    private List<String> jsonArray(String keyword) {
        String a = last(keyword);
        try {
            return NodeClient.JSON.readValue(a, new TypeReference<List<String>>() {
            });
        } catch (IOException e) {
            throw new AssertionError(keyword + " " + a + ": expected the exec (JSON array) form", e);
        }
    }
}
