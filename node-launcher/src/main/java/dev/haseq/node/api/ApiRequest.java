package dev.haseq.node.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the routes see it: method, decoded path, query parameters, the headers the
 * API cares about, and the whole body.
 *
 * @param forwardedBy the node that forwarded this request ({@value #FORWARDED_BY} header), if any
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Optional<String> forwardedBy,
                         byte[] body) {
    /** Set by a follower that forwards a request to the leader; such a request is never forwarded again. */
    public static final String FORWARDED_BY = "X-Haseq-Forwarded-By";

    public Optional<String> param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }
}
