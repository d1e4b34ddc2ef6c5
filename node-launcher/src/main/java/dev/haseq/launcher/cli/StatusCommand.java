package dev.haseq.launcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haseq.api.HostPort;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code haseq status --rpc <addr>}: the node's {@code GET /status}, {@code /raft/node} and
 * {@code /raft/cluster} as a table, or as one JSON object with {@code --json}. Exit 0 when the node
 * answered, 1 when it could not be reached.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a node's chain head, Raft state and cluster members (GET /status, /raft/node, "
                + "/raft/cluster). Exit 1 if the node cannot be reached."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--rpc", paramLabel = "<host:port>", defaultValue = "127.0.0.1:7331",
            description = "The node's API address (rpc.address), default ${DEFAULT-VALUE}.")
    private String rpc;

    @Option(names = "--json", description = "Print {\"status\": ..., \"raft_node\": ..., \"raft_cluster\": ...}.")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "<ms>", defaultValue = "5000",
            description = "How long to wait for each answer, in milliseconds (default ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    @Override
    public Integer call() throws JsonProcessingException {
        HostPort address = parseAddress(spec, rpc);
        PrintWriter out = spec.commandLine().getOut();
        try (ApiClient api = new ApiClient(address, Duration.ofMillis(timeoutMillis))) {
            JsonNode status = api.get("/status").body();
            JsonNode node = api.get("/raft/node").body();
            JsonNode cluster = api.get("/raft/cluster").body();
            if (json) {
                ObjectNode all = ApiClient.json().createObjectNode();
                all.set("status", status);
                all.set("raft_node", node);
                all.set("raft_cluster", cluster);
                out.println(ApiClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(all));
            } else {
                printTable(address, status, node, cluster, out);
            }
            out.flush();
            return 0;
        } catch (ApiClient.ApiException e) {
            spec.commandLine().getErr().println("haseq status: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    static HostPort parseAddress(CommandSpec spec, String text) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--rpc: " + e.getMessage() + ", e.g. 127.0.0.1:7331");
        }
    }

    static void printTable(HostPort address, JsonNode status, JsonNode node, JsonNode cluster, PrintWriter out) {
        JsonNode head = status.path("head");
        out.printf("node        %s at %s%n", text(status.path("node_id")), address);
        out.printf("role        %s (term %s)%n", text(status.path("role")), text(node.path("term")));
        out.printf("leader      %s%n", status.path("leader_id").isNull() ? "none known" : text(status.path("leader_id")));
        out.printf("head        height %s  hash %s%n", text(head.path("height")), shortHash(head.path("hash")));
        out.printf("raft log    commit %s  applied %s%n", text(node.path("commit_index")),
                text(node.path("applied_index")));
        out.printf("mempool     %s txs, %s bytes%n", text(status.path("mempool").path("size")),
                text(status.path("mempool").path("bytes")));
        out.printf("catching up %s%n", status.path("catching_up").asBoolean(false) ? "yes" : "no");
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MEMBER", "ROLE", "RAFT ADDRESS", "MATCH", "HEALTHY", "LAST CONTACT"});
        String leader = text(cluster.path("leader_id"));
        for (JsonNode m : cluster.path("members")) {
            boolean self = m.path("self").asBoolean(false);
            String id = text(m.path("node_id"));
            String role = self ? text(m.path("role")) : id.equals(leader) ? "leader" : "-";
            JsonNode contact = m.path("last_contact_ms");
            rows.add(new String[] {id + (self ? " (this)" : ""), role,
                self ? "-" : text(m.path("raft_address")), text(m.path("match_index")),
                self ? "-" : m.path("healthy").asBoolean(false) ? "yes" : "no",
                contact.isMissingNode() || contact.isNull() ? "-" : contact.asLong() + " ms"});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("(match index and health are the leader's view; a follower shows 0 / no)");
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : n.asText();
    }

    static String shortHash(JsonNode n) {
        String h = text(n);
        return h.length() > 16 ? h.substring(0, 16) + "…" : h;
    }
}
