package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvnodeFlagsTest {
    private final ConfigKeys keys = ConfigKeys.builtIn();

    private List<EvnodeFlags.Flag> parse(String... args) {
        return EvnodeFlags.parse(List.of(args), keys);
    }

    @Test
    void equalsAndSpaceFormsGiveTheSameFlag() {
        assertThat(parse("--evnode.raft.node_id=node-1", "--evnode.raft.node_id", "node-1")).containsExactly(
                new EvnodeFlags.Flag("raft.node_id", "node-1", "--evnode.raft.node_id"),
                new EvnodeFlags.Flag("raft.node_id", "node-1", "--evnode.raft.node_id"));
    }

    @Test
    void valueMayContainEqualsSignsAndBeEmpty() {
        assertThat(parse("--evnode.da.address=http://h:1/?a=b", "--evnode.raft.peers=")).containsExactly(
                new EvnodeFlags.Flag("da.address", "http://h:1/?a=b", "--evnode.da.address"),
                new EvnodeFlags.Flag("raft.peers", "", "--evnode.raft.peers"));
    }

    @Test
    void booleanKeyAloneMeansTrueAndTakesAFollowingTrueOrFalse() {
        assertThat(parse("--evnode.raft.enable", "--evnode.node.aggregator", "false", "--evnode.metrics.enabled"))
                .extracting(EvnodeFlags.Flag::key, EvnodeFlags.Flag::value).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("raft.enable", "true"),
                        org.assertj.core.groups.Tuple.tuple("node.aggregator", "false"),
                        org.assertj.core.groups.Tuple.tuple("metrics.enabled", "true"));
    }

    @Test
    void nonBooleanKeyWithoutValueIsAUsageError() {
        assertThatThrownBy(() -> parse("--evnode.raft.node_id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--evnode.raft.node_id needs a value: --evnode.raft.node_id=<value> or "
                        + "--evnode.raft.node_id <value>");
        assertThatThrownBy(() -> parse("--evnode.raft.node_id", "--evnode.raft.enable"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    }

    @Test
    void strayArgumentsAndEmptyKeysAreUsageErrors() {
        assertThatThrownBy(() -> parse("node-1")).hasMessageContaining("unexpected argument 'node-1'");
        assertThatThrownBy(() -> parse("--bogus")).hasMessageContaining("unexpected argument '--bogus'");
        assertThatThrownBy(() -> parse("--evnode.=x")).hasMessageContaining("names no key");
    }
}
