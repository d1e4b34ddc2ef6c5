package dev.haseq.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code haseq transfer-leadership --rpc <leader's API> [--to node-2]}: asks the leader to hand
 * leadership over ({@code POST /raft/transfer-leadership}). Exit 0 with the new leader printed;
 * exit 1 if the node is not the leader (the leader's id is printed), the transfer did not finish,
 * or the node cannot be reached.
 */
@Command(name = "transfer-leadership", mixinStandardHelpOptions = true,
        description = {"Ask the leader to hand leadership to --to, or to the most up-to-date healthy follower.",
            "Run it against the leader's API address; 'haseq status' shows who leads."})
final class TransferLeadershipCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--rpc", paramLabel = "<host:port>", defaultValue = "127.0.0.1:7331",
            description = "The leader's API address (rpc.address), default ${DEFAULT-VALUE}.")
    private String rpc;

    @Option(names = "--to", paramLabel = "<node id>", description = "The node to hand leadership to, e.g. node-2.")
    private String target;

    @Option(names = "--timeout", paramLabel = "<ms>", defaultValue = "10000",
            description = "How long to wait for the answer, in milliseconds (default ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    @Override
    public Integer call() {
        HostPort address = StatusCommand.parseAddress(spec, rpc);
        String query = "";
        if (target != null) {
            try {
                query = "?target=" + URLEncoder.encode(NodeId.of(target).value(), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--to: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ApiClient api = new ApiClient(address, Duration.ofMillis(timeoutMillis))) {
            ApiClient.Answer a = api.post("/raft/transfer-leadership" + query);
            JsonNode body = a.body();
            if (a.status() == 200) {
                out.println("leadership moved to " + body.path("leader_id").asText());
                out.flush();
                return 0;
            }
            String leader = body.path("leader_id").isTextual() ? body.path("leader_id").asText() : null;
            err.println("haseq transfer-leadership: " + body.path("error").asText("HTTP " + a.status())
                    + (a.status() == 409 && leader != null ? " (the leader is " + leader + ": run this against its API "
                    + "address)" : ""));
            err.flush();
            return 1;
        } catch (ApiClient.ApiException e) {
            err.println("haseq transfer-leadership: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
