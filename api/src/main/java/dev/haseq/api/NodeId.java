package dev.haseq.api;

import java.util.regex.Pattern;

/**
 * A cluster member's stable name ({@code raft.node_id}), e.g. {@code node-1}. Letters, digits,
 * {@code . _ -}; 1 to 64 characters, so it is safe in file names, metric labels and URLs.
 */
public record NodeId(String value) implements Comparable<NodeId> {
    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    public NodeId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("a node id is 1-" + MAX_LENGTH
                    + " characters of letters, digits, '.', '_' or '-', got '" + value + "'");
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public int compareTo(NodeId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
