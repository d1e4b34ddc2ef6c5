package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnknownKeyTest {
    @TempDir
    Path dir;

    @Test
    void misspeltKeyInFileSuggestsTheNearestKeyWithFileAndLine() {
        Path file = Loading.write(dir, "evnode.yaml", "raft:\n  enable: false\n  heartbeat_timout: 92ms\n");

        ConfigLoad load = Loading.load(Map.of(), file);

        assertThat(Loading.errors(load)).containsExactly("unknown key raft.heartbeat_timout (in " + file
                + ", line 3); did you mean raft.heartbeat_timeout?");
        assertThat(load.errors().get(0).key()).isEqualTo("raft.heartbeat_timout");
        assertThat(load.config()).isEmpty();
    }

    @Test
    void misspeltEnvironmentVariableSuggestsTheNearestVariableAndItsKey() {
        ConfigLoad load = Loading.load(Map.of("EVNODE_RAFT_HEARTBEAT_TIMOUT", "92ms"), null);

        assertThat(Loading.errors(load)).singleElement().asString()
                .startsWith("unknown environment variable EVNODE_RAFT_HEARTBEAT_TIMOUT")
                .endsWith("did you mean EVNODE_RAFT_HEARTBEAT_TIMEOUT (raft.heartbeat_timeout)?");
    }

    @Test
    void misspeltFlagSuggestsTheNearestKeyInBothForms() {
        ConfigLoad eq = Loading.load(Map.of(), null, "--evnode.raft.heartbeat_timout=92ms");
        ConfigLoad space = Loading.load(Map.of(), null, "--evnode.raft.heartbeat_timout", "92ms");
        ConfigLoad alone = Loading.load(Map.of(), null, "--evnode.metrics.enable");

        String expected = "unknown key raft.heartbeat_timout (in flag --evnode.raft.heartbeat_timout); "
                + "did you mean raft.heartbeat_timeout?";
        assertThat(Loading.errors(eq)).containsExactly(expected);
        assertThat(Loading.errors(space)).containsExactly(expected);
        assertThat(Loading.errors(alone)).containsExactly(
                "unknown key metrics.enable (in flag --evnode.metrics.enable); did you mean metrics.enabled?");
    }

    @Test
    void keyInTheWrongSectionSuggestsTheSectionsThatHaveIt() {
        Path file = Loading.write(dir, "evnode.yaml", "node:\n  peers: x\nheartbeat_timeout: 92ms\n");

        assertThat(Loading.errors(Loading.load(Map.of(), file))).containsExactlyInAnyOrder(
                "unknown key node.peers (in " + file + ", line 2); did you mean p2p.peers or raft.peers or rpc.peers?",
                "unknown key heartbeat_timeout (in " + file + ", line 3); did you mean raft.heartbeat_timeout?");
    }

    @Test
    void misspeltSectionSuggestsTheSection() {
        Path file = Loading.write(dir, "evnode.yaml", "raf:\n  enable: true\n");

        assertThat(Loading.errors(Loading.load(Map.of(), file)))
                .containsExactly("unknown section raf (in " + file + ", line 1); did you mean raft?");
    }

    @Test
    void sectionGivenAValueAndValueGivenASectionAreExplained() {
        Path file = Loading.write(dir, "evnode.yaml", "raft: true\nnode:\n  aggregator:\n    on: true\n");

        assertThat(Loading.errors(Loading.load(Map.of(), file))).containsExactlyInAnyOrder(
                "raft is a section, not a key (in " + file + ", line 1): set its keys under it; "
                        + "raft has: bootstrap, election_timeout, enable, heartbeat_timeout, leader_lease_timeout, "
                        + "log_store, node_id, peers, provider, raft_addr, raft_dir, send_timeout, snap_count, "
                        + "snapshot_threshold, trailing_logs",
                "node.aggregator is a value, not a section (in " + file + ", line 3): write it as node.aggregator: "
                        + "<value>");
    }

    @Test
    void farOffKeyListsTheKeysOfItsSectionInsteadOfGuessing() {
        ConfigLoad load = Loading.load(Map.of(), null, "--evnode.rpc.zzzzzzzzzz=1");

        assertThat(Loading.errors(load)).containsExactly(
                "unknown key rpc.zzzzzzzzzz (in flag --evnode.rpc.zzzzzzzzzz); rpc has: address, max_request_bytes, peers");
    }

    @Test
    void everyUnknownKeyFromEverySourceIsReportedAtOnce() {
        Path file = Loading.write(dir, "evnode.yaml", "raft:\n  nodeid: a\nrpc:\n  adress: x\n");

        ConfigLoad load = Loading.load(Map.of("EVNODE_NODE_BLOCKTIME", "1s"), file, "--evnode.p2p.peer=x");

        assertThat(Loading.errors(load)).hasSize(4).anySatisfy(m -> assertThat(m).contains("raft.node_id"))
                .anySatisfy(m -> assertThat(m).contains("rpc.address"))
                .anySatisfy(m -> assertThat(m).contains("EVNODE_NODE_BLOCK_TIME"))
                .anySatisfy(m -> assertThat(m).contains("p2p.peers"));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(KeySuggester.distance("raft.heartbeat_timout", "raft.heartbeat_timeout")).isEqualTo(1);
        assertThat(KeySuggester.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggester.distance("", "abc")).isEqualTo(3);
        assertThat(KeySuggester.distance("same", "same")).isZero();
    }
}
