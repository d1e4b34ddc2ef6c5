package dev.haseq.api.config;

/**
 * One configuration error or warning. The message names the key, what is wrong and the fix.
 *
 * @param key     the config key, e.g. {@code raft.election_timeout}
 * @param message a complete sentence for the operator
 */
public record ConfigProblem(String key, String message) {
    @Override
    public String toString() {
        return message;
    }
}
