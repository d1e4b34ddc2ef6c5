package dev.haseq.node.api;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Forwards a request from a follower to the leader's HTTP API (the leader's RPC address comes
 * from {@link HttpApiSettings#rpcPeers()}) and relays the answer. The forwarded request carries
 * {@link ApiRequest#FORWARDED_BY}, so a node that is not the leader either answers 503 instead of
 * forwarding again: a request crosses at most one hop.
 */
public final class LeaderForwarder implements AutoCloseable {
    private final NodeId self;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final Duration timeout;

    public LeaderForwarder(NodeId self, Duration timeout) {
        this.self = self;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Completes with the leader's response, or exceptionally if it could not be reached. */
    public CompletableFuture<ApiResponse> forward(HostPort leader, ApiRequest request) {
        String query = request.query().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> enc(e.getKey()) + "=" + enc(v)))
                .collect(Collectors.joining("&"));
        URI uri = URI.create("http://" + leader + request.path() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
                .header(ApiRequest.FORWARDED_BY, self.value())
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()))
                .build();
        return client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            String type = r.headers().firstValue("content-type").orElse(ApiResponse.JSON_TYPE);
            ApiResponse out = new ApiResponse(r.statusCode(), type, r.body(), Map.of());
            List<String> retry = r.headers().allValues("retry-after");
            return retry.isEmpty() ? out : out.withHeader("Retry-After", retry.get(0));
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
