package dev.haseq.launcher.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haseq.node.metrics.StoreKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreKindsTest {
    private final Path raft = Path.of("/var/lib/haseq/raft");
    private final StoreKinds kinds = new StoreKinds(raft, Path.of("/var/lib/haseq/data/blocks"));

    @Test
    void aReportedFileIsChargedToTheStoreWhoseDirectoryHoldsIt() {
        assertThat(kinds.apply(raft.resolve("raft-log/00000000000000000001.seg"))).isEqualTo(StoreKind.RAFT_LOG);
        assertThat(kinds.apply(raft.resolve("snapshots/3-120.snp"))).isEqualTo(StoreKind.SNAPSHOTS);
        assertThat(kinds.apply(raft.resolve("raft-stable"))).isEqualTo(StoreKind.RAFT_STATE);
        assertThat(kinds.apply(Path.of("/var/lib/haseq/data/blocks/20261126.cq4"))).isEqualTo(StoreKind.BLOCKS);
        assertThat(kinds.apply(Path.of("/srv/elsewhere/x.dat"))).isEqualTo(StoreKind.OTHER);
        assertThat(kinds.apply(raft.resolve("raft-logs-old/1.seg"))).as("a sibling whose name only starts alike")
                .isEqualTo(StoreKind.RAFT_STATE);
    }

    @Test
    void relativeAndUnnormalizedPathsMatchTheirAbsoluteDirectory() {
        StoreKinds relative = new StoreKinds(Path.of("home/raft"), Path.of("home/data/blocks"));
        assertThat(relative.apply(Path.of("home/raft/../raft/raft-log/1.seg").toAbsolutePath()))
                .isEqualTo(StoreKind.RAFT_LOG);
        assertThat(relative.apply(Path.of("./home/data/blocks/x.cq4"))).isEqualTo(StoreKind.BLOCKS);
    }
}
