package dev.haseq.launcher.wiring;

import dev.haseq.api.storage.RaftLayout;
import dev.haseq.node.metrics.StoreKind;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Tells which store a file a store reported belongs to, from the node's on-disk layout
 * ({@link RaftLayout} under {@code raft_dir}, blocks under {@code storage.data_dir}). Paths are
 * compared absolute and normalized, so a relative {@code raft_dir} matches too.
 */
record StoreKinds(Path raftDir, Path blocksDir) implements Function<Path, StoreKind> {
    StoreKinds {
        raftDir = raftDir.toAbsolutePath().normalize();
        blocksDir = blocksDir.toAbsolutePath().normalize();
    }

    @Override
    public StoreKind apply(Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (f.startsWith(RaftLayout.logDir(raftDir))) {
            return StoreKind.RAFT_LOG;
        }
        if (f.startsWith(RaftLayout.snapshotDir(raftDir))) {
            return StoreKind.SNAPSHOTS;
        }
        if (f.startsWith(blocksDir)) {
            return StoreKind.BLOCKS;
        }
        return f.startsWith(raftDir) ? StoreKind.RAFT_STATE : StoreKind.OTHER;
    }
}
