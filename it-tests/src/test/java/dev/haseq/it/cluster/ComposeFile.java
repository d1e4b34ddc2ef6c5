package dev.haseq.it.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * A Docker compose file read with SnakeYAML (which resolves anchors and {@code <<} merge keys, as
 * compose does), and the parts of its services the packaging checks look at. Only the short forms
 * {@code packaging/docker/compose.yaml} uses are understood (environment as a map, volumes and
 * ports as strings, a healthcheck in the {@code ["CMD", "bash", "-c", script]} form); anything
 * else is an error, so a new form is noticed rather than misread.
 */
final class ComposeFile {
    private final Map<String, Map<String, Object>> services;

    /** A volume mount: {@code volume:target[:ro]}. */
    record Mount(String volume, String target, boolean readOnly) {
    }

    private ComposeFile(Map<String, Map<String, Object>> services) {
        this.services = services;
    }

    @SuppressWarnings("unchecked")
    static ComposeFile read(Path file) throws IOException {
        Map<String, Object> root = new Yaml().load(Files.readString(file));
        return new ComposeFile((Map<String, Map<String, Object>>) root.get("services"));
    }

    /** Whether {@code path} is {@code dir} or below it. */
    static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir.endsWith("/") ? dir : dir + "/");
    }

    /** {@code path} relative to {@code dir} (which it is {@link #under}). */
    static String relative(String path, String dir) {
        return path.length() == dir.length() ? "" : path.substring(dir.length()).replaceFirst("^/", "");
    }

    private Map<String, Object> service(String name) {
        Map<String, Object> s = services.get(name);
        if (s == null) {
            throw new AssertionError("compose has no service " + name + "; it has " + services.keySet());
        }
        return s;
    }

    /** The services that run a node: those whose environment names a Raft node id. */
    List<String> nodeServices() {
        return services.keySet().stream().filter(n -> environment(n).containsKey("EVNODE_RAFT_NODE_ID")).toList();
    }

    Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env == null) {
            return out;
        }
        if (!(env instanceof Map<?, ?> m)) {
            throw new AssertionError(name + ": only an environment map is understood here, not " + env);
        }
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    String hostname(String name) {
        Object h = service(name).get("hostname");
        return h == null ? name : h.toString();
    }

    @SuppressWarnings("unchecked")
    List<String> command(String name) {
        return (List<String>) service(name).get("command");
    }

    @SuppressWarnings("unchecked")
    List<Mount> mounts(String name) {
        List<Mount> out = new ArrayList<>();
        for (String v : (List<String>) service(name).getOrDefault("volumes", List.of())) {
            String[] p = v.split(":");
            if (p.length < 2 || p.length > 3 || (p.length == 3 && !p[2].equals("ro"))) {
                throw new AssertionError(name + ": volume '" + v + "' is not volume:target[:ro]");
            }
            out.add(new Mount(p[0], p[1], p.length == 3));
        }
        return out;
    }

    /** Where {@code containerPath} of service {@code name} lives on the host: its volume's directory under {@code volumes}. */
    Optional<Path> hostPath(String name, String containerPath, Path volumes) {
        return mounts(name).stream().filter(m -> under(containerPath, m.target()))
                .max((a, b) -> Integer.compare(a.target().length(), b.target().length()))
                .map(m -> volumes.resolve(m.volume()).resolve(relative(containerPath, m.target())));
    }

    /** The container side of every published port ({@code "host:container"}). */
    @SuppressWarnings("unchecked")
    List<Integer> publishedContainerPorts(String name) {
        return ((List<Object>) service(name).getOrDefault("ports", List.of())).stream().map(p -> {
            String s = p.toString();
            return Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
        }).toList();
    }

    /** The script of a {@code ["CMD", "bash", "-c", script]} health check. */
    @SuppressWarnings("unchecked")
    String healthCheckScript(String name) {
        Map<String, Object> hc = (Map<String, Object>) service(name).get("healthcheck");
        if (hc == null) {
            throw new AssertionError(name + " has no healthcheck");
        }
        List<String> test = (List<String>) hc.get("test");
        if (test.size() != 4 || !test.subList(0, 3).equals(List.of("CMD", "bash", "-c"))) {
            throw new AssertionError(name + ": only a [\"CMD\", \"bash\", \"-c\", script] health check is understood "
                    + "here, not " + test);
        }
        return test.get(3);
    }
}
