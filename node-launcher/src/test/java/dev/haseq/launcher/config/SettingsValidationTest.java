package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The non-raft keys: each bad value is one error naming the key, the value and the fix. */
class SettingsValidationTest {
    @TempDir
    Path dir;

    private ConfigLoad flags(String... flags) {
        return Loading.load(Map.of(), null, flags);
    }

    @Test
    void badValuesNameKeyValueAndExpectedForm() {
        ConfigLoad load = flags("--evnode.node.block_time=0s", "--evnode.node.max_block_bytes=12 parsecs",
                "--evnode.node.mempool_max_txs=lots", "--evnode.rpc.address=localhost",
                "--evnode.metrics.enabled=maybe", "--evnode.p2p.listen_address=0.0.0.0:26656",
                "--evnode.executor.provider=", "--evnode.da.provider=Celestia!");

        assertThat(Loading.errors(load)).containsExactlyInAnyOrder(
                "node.block_time must be positive, got '0s' (default 1s) [set by flag --evnode.node.block_time]",
                "node.max_block_bytes: '12 parsecs' is not a byte size: use a whole number with an optional unit "
                        + "(B, KB, KiB, MB, MiB, GB, GiB), e.g. 1MiB (default 1MiB) [set by flag "
                        + "--evnode.node.max_block_bytes]",
                "node.mempool_max_txs must be a whole number, got 'lots' (default 10000) [set by flag "
                        + "--evnode.node.mempool_max_txs]",
                "rpc.address 'localhost' is not host:port (expected host:port, got 'localhost'), e.g. rpc.address: "
                        + "\"127.0.0.1:7331\" [set by flag --evnode.rpc.address]",
                "metrics.enabled must be true or false, got 'maybe' [set by flag --evnode.metrics.enabled]",
                "p2p.listen_address: '0.0.0.0:26656' is not a multiaddr; expected /ip4/<address>/tcp/<port>"
                        + "[/p2p/<peer id>], e.g. /ip4/10.0.0.2/tcp/26656 [set by flag --evnode.p2p.listen_address]",
                "executor.provider must be a provider name (lower-case letters, digits, '-', '_'), got '' "
                        + "[set by flag --evnode.executor.provider]",
                "da.provider must be a provider name (lower-case letters, digits, '-', '_') or empty for none, "
                        + "got 'Celestia!' [set by flag --evnode.da.provider]");
    }

    @Test
    void sizesMustFitEachOther() {
        assertThat(Loading.errors(flags("--evnode.node.max_tx_bytes=2MiB", "--evnode.rpc.max_request_bytes=4MiB")))
                .singleElement().asString().startsWith("node.max_tx_bytes (2MiB) must be <= node.max_block_bytes (1MiB)");
        assertThat(Loading.errors(flags("--evnode.node.max_tx_bytes=512KiB", "--evnode.node.mempool_max_bytes=256KiB")))
                .singleElement().asString().startsWith("node.max_tx_bytes (512KiB) must be <= node.mempool_max_bytes");
        assertThat(Loading.errors(flags("--evnode.rpc.max_request_bytes=64KiB")))
                .singleElement().asString().startsWith("rpc.max_request_bytes (64KiB) must be >= node.max_tx_bytes");
        assertThat(Loading.errors(flags("--evnode.node.max_block_bytes=100MiB")))
                .singleElement().asString().startsWith("node.max_block_bytes must be between 1KiB and 64MiB");
    }

    @Test
    void aBadSizeDoesNotAlsoFailTheChecksThatDependOnIt() {
        // max_tx_bytes unreadable: only its own error, not a second one comparing it with the block size
        assertThat(Loading.errors(flags("--evnode.node.max_tx_bytes=huge", "--evnode.node.max_block_bytes=1KiB")))
                .singleElement().asString().startsWith("node.max_tx_bytes: 'huge' is not a byte size");
    }

    @Test
    void lazyIntervalMustExceedBlockTimeOnlyInLazyMode() {
        assertThat(flags("--evnode.node.lazy_block_interval=500ms").errors()).isEmpty();
        assertThat(Loading.errors(flags("--evnode.node.aggregator", "--evnode.node.lazy_mode",
                "--evnode.node.lazy_block_interval=500ms"))).singleElement().asString()
                .startsWith("node.lazy_block_interval (500ms) must be longer than node.block_time (1s)");
    }

    @Test
    void daAddressWithoutProviderIsAnError() {
        assertThat(Loading.errors(flags("--evnode.da.address=http://127.0.0.1:7980"))).singleElement().asString()
                .startsWith("da.address is set ('http://127.0.0.1:7980') but da.provider is empty");
        HaseqConfig c = flags("--evnode.da.address=http://127.0.0.1:7980", "--evnode.da.provider=local").orThrow();
        assertThat(c.da().provider()).contains("local");
    }

    @Test
    void twoListenersOnOnePortAreAnErrorButADisabledOneIsIgnored() {
        assertThat(flags("--evnode.metrics.address=127.0.0.1:7331").errors()).isEmpty();
        assertThat(Loading.errors(flags("--evnode.metrics.enabled", "--evnode.metrics.address=127.0.0.1:7331")))
                .singleElement().asString().startsWith("rpc.address (127.0.0.1:7331) and metrics.address "
                        + "(127.0.0.1:7331) listen on the same port");
        // the wildcard address overlaps every other address
        assertThat(Loading.errors(flags("--evnode.rpc.address=10.1.2.3:26656"))).singleElement().asString()
                .contains("p2p.listen_address (0.0.0.0:26656)");
    }

    @Test
    void p2pPeersAreParsedAsMultiaddrs() {
        HaseqConfig c = flags("--evnode.p2p.peers=/ip4/10.0.0.2/tcp/26656/p2p/12D3KooW, /dns4/node-3/tcp/26657")
                .orThrow();
        assertThat(c.p2p().peers()).extracting(Multiaddr::host, Multiaddr::port, Multiaddr::peerId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("10.0.0.2", 26656, "12D3KooW"),
                org.assertj.core.groups.Tuple.tuple("node-3", 26657, ""));
        assertThat(Loading.errors(flags("--evnode.p2p.peers=/ip4/<PEER_IP>/tcp/port"))).singleElement().asString()
                .contains("has port 'port', not 1-65535");
    }

    @Test
    void raftDirOnTemporaryStorageIsAWarningNotAnError() {
        ConfigLoad load = flags("--evnode.raft.raft_dir=/tmp/x/raft");

        assertThat(load.errors()).isEmpty();
        assertThat(Loading.warnings(load)).singleElement().asString().startsWith("raft.raft_dir (/tmp/x/raft) is on "
                + "temporary storage").endsWith("[set by flag --evnode.raft.raft_dir]");
    }

    @Test
    void aRaftPortOnAPublicAddressIsAWarningNamingTheAddresses() {
        ConfigLoad load = flags("--evnode.node.aggregator=true", "--evnode.raft.enable=true",
                "--evnode.raft.node_id=node-1", "--evnode.raft.raft_addr=203.0.113.7:5001",
                "--evnode.raft.peers=node-2@198.51.100.2:5001,node-3@10.0.0.3:5001,node-4@[2001:db8::4]:5001,"
                        + "node-5@sequencer-5.internal:5001",
                "--evnode.p2p.peers=/ip4/10.0.0.2/tcp/26656");

        assertThat(load.errors()).isEmpty();
        assertThat(Loading.warnings(load)).filteredOn(w -> w.contains("public"))
                .satisfiesExactlyInAnyOrder(
                        w -> assertThat(w).startsWith("raft.raft_addr (203.0.113.7:5001) is a public address: Raft "
                                + "traffic is plain TCP without encryption").contains("never expose it to the public "
                                + "internet"),
                        w -> assertThat(w).startsWith("raft.peers reaches node-2@198.51.100.2:5001, "
                                + "node-4@[2001:db8::4]:5001 at public addresses"));
    }

    /** The guide's "Interaction with P2P": every Raft node needs somewhere to fetch historical blocks from. */
    @Test
    void raftWithoutP2pPeersOrADaProviderIsAWarningAboutCatchUp() {
        String[] raft = {"--evnode.node.aggregator=true", "--evnode.raft.enable=true", "--evnode.raft.node_id=node-1",
                "--evnode.raft.raft_addr=10.0.0.1:5001", "--evnode.raft.peers=node-2@10.0.0.2:5001,node-3@10.0.0.3:5001"};
        ConfigLoad without = flags(raft);
        assertThat(without.errors()).isEmpty();
        assertThat(Loading.warnings(without)).singleElement().asString()
                .startsWith("raft.enable is true but neither p2p.peers nor da.provider is set")
                .contains("\"Interaction with P2P\"");

        String[] withP2p = java.util.Arrays.copyOf(raft, raft.length + 1);
        withP2p[raft.length] = "--evnode.p2p.peers=/ip4/10.0.0.2/tcp/26656";
        assertThat(Loading.warnings(flags(withP2p))).isEmpty();
    }

    @Test
    void privateLoopbackMeshAndWildcardAddressesAndHostNamesAreNotPublic() {
        for (String host : List.of("0.0.0.0", "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.0.1",
                "100.64.0.1", "100.127.255.254", "::", "::1", "fd12:3456::1", "fe80::1", "node-2.internal",
                "localhost", "999.1.1.1")) {
            assertThat(PublicAddresses.isPublic(host)).as(host).isFalse();
        }
        for (String host : List.of("8.8.8.8", "100.128.0.1", "172.32.0.1", "2001:db8::1", "[2606:4700::1111]")) {
            assertThat(PublicAddresses.isPublic(host)).as(host).isTrue();
        }
    }

    @Test
    void lazyModeWithoutAggregatorIsAWarning() {
        assertThat(Loading.warnings(flags("--evnode.node.lazy_mode"))).singleElement().asString()
                .startsWith("node.lazy_mode has no effect unless node.aggregator is true");
    }

    @Test
    void raftRuleViolationsFromTheApiSurfaceWithTheirSource() {
        Path file = Loading.write(dir, "evnode.yaml", """
                raft:
                  enable: true
                  node_id: node-1
                  raft_addr: 127.0.0.1:5001
                  heartbeat_timeout: 400ms
                  election_timeout: 300ms
                """);

        ConfigLoad load = Loading.load(Map.of(), file);

        assertThat(Loading.errors(load)).contains(
                "raft.enable requires node.aggregator: true (every Raft member is an aggregator); set "
                        + "node.aggregator: true or disable raft [set by " + file + ":2]",
                "raft.election_timeout (300ms) must be >= raft.heartbeat_timeout (400ms); the guide suggests "
                        + "4 x heartbeat_timeout (1600ms) [set by " + file + ":6]");
    }

    @Test
    void aBadNodeAggregatorIsReportedOnceThoughTwoParsersReadIt() {
        assertThat(Loading.errors(flags("--evnode.node.aggregator=perhaps"))).containsExactly(
                "node.aggregator must be true or false, got 'perhaps' [set by flag --evnode.node.aggregator]");
    }
}
