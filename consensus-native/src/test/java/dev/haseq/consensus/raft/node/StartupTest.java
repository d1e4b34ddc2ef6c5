package dev.haseq.consensus.raft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.config.Providers;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.consensus.ConsensusProvider;
import dev.haseq.api.storage.RaftLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {
    @TempDir
    Path dir;

    @Test
    void theNativeProviderIsFoundByName() {
        ConsensusProvider p = Providers.select(ConsensusProvider.class, ConsensusProvider::name, RaftSettings.PROVIDER,
                "native");
        assertThat(p).isInstanceOf(NativeConsensusProvider.class);
    }

    @Test
    void anEmptyDirectoryBootstrapsAndWritesTheIdentityThenRejoins() throws Exception {
        try (LocalCluster c = new LocalCluster(3, dir, LocalCluster.testTimings())) {
            RaftNode n = c.start(0);
            assertThat(n.startMode()).isEqualTo(ClusterIdentity.StartMode.BOOTSTRAP);
            Path id = c.raftDir(0).resolve(RaftLayout.IDENTITY_FILE);
            assertThat(Files.readString(id)).contains("node_id=node-1").contains("members=node-1,node-2,node-3");
            c.closeNode(0);
            assertThat(c.start(0).startMode()).isEqualTo(ClusterIdentity.StartMode.REJOIN);
        }
    }

    /** The guide: raft.bootstrap is a compatibility flag; the start mode comes from raft_dir alone. */
    @Test
    void bootstrapTrueChangesNothingAnExistingDirectoryStillRejoins() throws Exception {
        java.util.Map<String, String> s = new java.util.HashMap<>(LocalCluster.testTimings());
        s.put(RaftSettings.BOOTSTRAP, "true");
        try (LocalCluster c = new LocalCluster(3, dir, s)) {
            assertThat(c.settings(0).bootstrap()).isTrue();
            assertThat(c.start(0).startMode()).isEqualTo(ClusterIdentity.StartMode.BOOTSTRAP);
            c.closeNode(0);
            Path id = c.raftDir(0).resolve(RaftLayout.IDENTITY_FILE);
            String identity = Files.readString(id);
            assertThat(c.start(0).startMode()).isEqualTo(ClusterIdentity.StartMode.REJOIN);
            assertThat(Files.readString(id)).isEqualTo(identity);
        }
    }

    @Test
    void anotherNodeIdOnAnExistingDirectoryIsRefusedNamingBothIdsAndTheDirectory() {
        try (LocalCluster c = new LocalCluster(3, dir, LocalCluster.testTimings())) {
            c.start(0);
            c.closeNode(0);
            // node-2's settings pointed at node-1's directory
            RaftSettings wrong = c.settings(1);
            RaftSettings s = new RaftSettings(true, wrong.nodeId(), wrong.raftAddr(), c.raftDir(0), wrong.peers(),
                    false, wrong.heartbeatTimeout(), wrong.electionTimeout(), wrong.leaderLeaseTimeout(),
                    wrong.sendTimeout(), wrong.snapshotThreshold(), wrong.trailingLogs(), wrong.snapCount(),
                    wrong.provider(), wrong.logStore());
            RaftNode n = new RaftNode(c.context(1, s, new RecordingStateMachine()), new SplittableRandom(1));
            assertThatThrownBy(n::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node-1").hasMessageContaining("node-2")
                    .hasMessageContaining(c.raftDir(0).toString());
        }
    }

    @Test
    void aChangedMemberListIsRefused() throws Exception {
        Path raftDir = dir.resolve("r");
        try (LocalCluster c = new LocalCluster(3, dir, LocalCluster.testTimings())) {
            RaftSettings s = c.settings(0);
            ClusterIdentity.establish(raftDir, s);
            RaftSettings fewer = new RaftSettings(true, s.nodeId(), s.raftAddr(), raftDir, s.peers().subList(0, 1),
                    false, s.heartbeatTimeout(), s.electionTimeout(), s.leaderLeaseTimeout(), s.sendTimeout(),
                    s.snapshotThreshold(), s.trailingLogs(), s.snapCount(), s.provider(), s.logStore());
            assertThatThrownBy(() -> ClusterIdentity.establish(raftDir, fewer))
                    .hasMessageContaining("[node-1, node-2, node-3]").hasMessageContaining("[node-1, node-2]");
        }
    }

    @Test
    void aCorruptIdentityFileIsAnErrorNamingTheFile() throws Exception {
        Path raftDir = dir.resolve("r");
        Files.createDirectories(raftDir);
        Files.writeString(raftDir.resolve(RaftLayout.IDENTITY_FILE), "garbage without equals\n");
        try (LocalCluster c = new LocalCluster(3, dir, LocalCluster.testTimings())) {
            assertThatThrownBy(() -> ClusterIdentity.establish(raftDir, c.settings(0)))
                    .hasMessageContaining(RaftLayout.IDENTITY_FILE).hasMessageContaining("corrupt");
        }
    }
}
