package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcPeersAndStorageKeysTest {
    @TempDir
    Path home;

    private static final String[] CLUSTER = {"--evnode.node.aggregator", "--evnode.raft.enable",
        "--evnode.raft.node_id=node-1", "--evnode.raft.raft_addr=127.0.0.1:5001",
        "--evnode.raft.peers=node-2@127.0.0.1:5002,node-3@127.0.0.1:5003"};

    private ConfigLoad load(String... more) {
        String[] flags = new String[CLUSTER.length + more.length];
        System.arraycopy(CLUSTER, 0, flags, 0, CLUSTER.length);
        System.arraycopy(more, 0, flags, CLUSTER.length, more.length);
        return Loading.loadWithoutFile(home, Map.of(), flags);
    }

    @Test
    void rpcPeersMapTheOtherMembersToTheirApiAddresses() {
        HaseqConfig c = load("--evnode.rpc.peers=node-2@127.0.0.1:7332, node-3@10.0.0.3:7331").orThrow();

        assertThat(c.rpc().peers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                NodeId.of("node-2"), HostPort.parse("127.0.0.1:7332"), NodeId.of("node-3"), HostPort.parse("10.0.0.3:7331")));
    }

    @Test
    void rpcPeersThatNameThisNodeAnUnknownMemberOrAreMalformedAreErrors() {
        assertThat(Loading.errors(load("--evnode.rpc.peers=node-1@127.0.0.1:7331")))
                .singleElement().asString().contains("rpc.peers lists this node's own node_id (node-1)");
        assertThat(Loading.errors(load("--evnode.rpc.peers=node-9@127.0.0.1:7339")))
                .singleElement().asString().contains("node-9, which is not in raft.peers");
        assertThat(Loading.errors(load("--evnode.rpc.peers=node-2@nowhere")))
                .singleElement().asString().contains("rpc.peers entry 'node-2@nowhere' is malformed");
        assertThat(Loading.errors(load("--evnode.rpc.peers=node-2@a:1,node-2@b:2")))
                .singleElement().asString().contains("lists node id node-2 twice");
    }

    @Test
    void storageKeysDefaultToChronicleBlocksAndFileRaftStateUnderTheDataDirectory() {
        HaseqConfig c = load().orThrow();

        assertThat(c.storage().dataDir()).isEqualTo(home.resolve("data"));
        assertThat(c.storage().blocksDir()).isEqualTo(home.resolve("data/blocks"));
        assertThat(c.storage().executorDir()).isEqualTo(home.resolve("data/executor"));
        assertThat(c.storage().blockStore()).isEqualTo("chronicle");
        assertThat(c.storage().stableStore()).isEqualTo("file");
        assertThat(c.storage().snapshotStore()).isEqualTo("file");
    }

    @Test
    void dataDirectoryResolvesLikeEveryOtherPathAndProviderNamesAreChecked() {
        HaseqConfig c = load("--evnode.storage.data_dir=chain").orThrow();
        assertThat(c.storage().dataDir()).isEqualTo(home.resolve("chain"));

        assertThat(Loading.errors(load("--evnode.storage.block_store=Not A Name"))).singleElement().asString()
                .contains("storage.block_store must be a provider name");
    }
}
