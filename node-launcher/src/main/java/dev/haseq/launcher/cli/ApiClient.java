package dev.haseq.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haseq.api.HostPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A small client of a node's HTTP API (docs/api.md) for the operator commands. Every call is
 * bounded by a timeout; failures become {@link ApiException}s whose message names the address and
 * what to check.
 */
final class ApiClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostPort address;
    private final HttpClient client;
    private final Duration timeout;

    /** A JSON answer with its status code. */
    record Answer(int status, JsonNode body) {
    }

    /** The node could not be reached, or did not answer with JSON. */
    static final class ApiException extends Exception {
        ApiException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    ApiClient(HostPort address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    HostPort address() {
        return address;
    }

    Answer get(String pathAndQuery) throws ApiException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(timeout).GET().build());
    }

    Answer post(String pathAndQuery) throws ApiException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private URI uri(String pathAndQuery) {
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        return URI.create("http://" + host + ":" + address.port() + pathAndQuery);
    }

    private Answer send(HttpRequest request) throws ApiException {
        HttpResponse<byte[]> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new ApiException("cannot connect to the node's API at " + address + " (is the node running, and is "
                    + "this its rpc.address?)", e);
        } catch (HttpTimeoutException e) {
            throw new ApiException("the node's API at " + address + " did not answer within " + timeout.toMillis()
                    + " ms", e);
        } catch (IOException e) {
            throw new ApiException("talking to the node's API at " + address + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while waiting for " + address, e);
        }
        try {
            return new Answer(r.statusCode(), JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new ApiException(address + request.uri().getPath() + " answered " + r.statusCode()
                    + " with a body that is not JSON; is this a haseq API address?", e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
