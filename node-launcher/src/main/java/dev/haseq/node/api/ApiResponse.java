package dev.haseq.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response to write: status, content type, body and extra headers. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_TYPE = "application/json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ApiResponse json(int status, ObjectNode body) {
        try {
            return new ApiResponse(status, JSON_TYPE, JSON.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    static ApiResponse error(int status, String message) {
        return json(status, object().put("error", message));
    }

    static ApiResponse text(int status, String contentType, byte[] body) {
        return new ApiResponse(status, contentType, body, Map.of());
    }

    static ApiResponse text(int status, String body) {
        return text(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, h);
    }

    ApiResponse retryAfter(long seconds) {
        return withHeader("Retry-After", Long.toString(seconds));
    }
}
