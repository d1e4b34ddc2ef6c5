package dev.haseq.api.storage;

import java.nio.file.Path;

/** Where things live under {@code raft.raft_dir} (see ARCHITECTURE.md, "Raft state on disk"). */
public final class RaftLayout {
    /** The Raft log directory. */
    public static final String LOG_DIR = "raft-log";
    /** Current term and vote. */
    public static final String STABLE_FILE = "raft-stable";
    /** Snapshots, {@code <term>-<index>.snp}. */
    public static final String SNAPSHOT_DIR = "snapshots";
    /** The node id and the member list the node bootstrapped with. */
    public static final String IDENTITY_FILE = "cluster-identity";

    private RaftLayout() {
    }

    public static Path logDir(Path raftDir) {
        return raftDir.resolve(LOG_DIR);
    }

    public static Path snapshotDir(Path raftDir) {
        return raftDir.resolve(SNAPSHOT_DIR);
    }
}
