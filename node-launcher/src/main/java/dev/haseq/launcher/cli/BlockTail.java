package dev.haseq.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haseq.api.HostPort;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints one line per new committed block of a cluster, asking whichever node answers: height, the
 * hash's first 12 hex digits, the leader that produced it, its transactions and the time since the
 * previous block (from the headers' timestamps). Stateful: call {@link #poll} repeatedly from one
 * thread.
 */
final class BlockTail implements AutoCloseable {
    private final List<ApiClient> nodes = new ArrayList<>();
    private final PrintWriter out;
    private long printed;
    private long lastTimestampNanos;
    private int preferred;

    BlockTail(List<HostPort> apis, PrintWriter out) {
        for (HostPort a : apis) {
            nodes.add(new ApiClient(a, Duration.ofSeconds(2)));
        }
        this.out = out;
    }

    /** The highest height printed so far. */
    long printed() {
        return printed;
    }

    /** Prints the blocks committed since the last call; true if a node answered. */
    boolean poll() {
        for (int k = 0; k < nodes.size(); k++) {
            int i = (preferred + k) % nodes.size();
            try {
                pollFrom(nodes.get(i));
                preferred = i;
                return true;
            } catch (ApiClient.ApiException e) {
                // try the next node: this one is starting, stopping or gone
            }
        }
        return false;
    }

    private void pollFrom(ApiClient api) throws ApiClient.ApiException {
        long height = api.get("/status").body().path("head").path("height").asLong(0);
        while (printed < height) {
            long to = Math.min(height, printed + 100);
            JsonNode blocks = api.get("/blocks?from=" + (printed + 1) + "&to=" + to).body().path("blocks");
            if (blocks.isEmpty()) {
                return; // not stored on this node yet
            }
            for (JsonNode b : blocks) {
                long h = b.path("height").asLong();
                if (h != printed + 1) {
                    return;
                }
                long ts = b.path("header").path("timestamp_nanos").asLong();
                String gap = lastTimestampNanos == 0 ? "" : String.format("  +%.3fs", (ts - lastTimestampNanos) / 1e9);
                out.printf("block %6d  %s  leader %-8s  txs %d%s%n", h, b.path("hash").asText().substring(0, 12),
                        b.path("header").path("proposer").asText(), b.path("txs").size(), gap);
                printed = h;
                lastTimestampNanos = ts;
            }
            out.flush();
        }
    }

    @Override
    public void close() {
        nodes.forEach(ApiClient::close);
    }
}
