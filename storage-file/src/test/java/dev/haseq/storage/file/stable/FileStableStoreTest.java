package dev.haseq.storage.file.stable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.Codecs;
import dev.haseq.api.storage.StorageException;
import dev.haseq.api.storage.TermAndVote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format-specific behaviour of the file stable store; the contract is tested in it-tests. */
class FileStableStoreTest {
    @TempDir
    Path dir;

    @Test
    void fileHoldsExactlyTheSharedTermAndVoteFrame() throws IOException {
        TermAndVote v = new TermAndVote(9, Optional.of(NodeId.of("node-2")));
        try (FileStableStore s = FileStableStore.open(dir)) {
            s.save(v);
        }
        assertThat(Files.readAllBytes(dir.resolve("raft-stable"))).isEqualTo(Codecs.TERM_AND_VOTE.encode(v));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void aLeftoverTempFileOfAnUnfinishedSaveIsIgnoredAndRemoved() throws IOException {
        TermAndVote v = new TermAndVote(3, Optional.empty());
        try (FileStableStore s = FileStableStore.open(dir)) {
            s.save(v);
        }
        Files.write(dir.resolve("raft-stable.tmp"), Codecs.TERM_AND_VOTE.encode(new TermAndVote(4, Optional.empty())));
        try (FileStableStore s = FileStableStore.open(dir)) {
            assertThat(s.load()).isEqualTo(v);
        }
        assertThat(dir.resolve("raft-stable.tmp")).doesNotExist();
    }

    @Test
    void anEmptyFileIsAnErrorNamingItAndTheRisk() throws IOException {
        Files.write(dir.resolve("raft-stable"), new byte[0]);
        assertThatThrownBy(() -> FileStableStore.open(dir)).isInstanceOf(StorageException.class)
                .hasMessageContaining(dir.resolve("raft-stable").toString()).hasMessageContaining("vote twice");
    }

    @Test
    void aFrameOfAnotherTypeIsAnError() throws IOException {
        Files.write(dir.resolve("raft-stable"), Codecs.SNAPSHOT_META.encode(dev.haseq.api.storage.SnapshotMeta.of(1, 1)));
        assertThatThrownBy(() -> FileStableStore.open(dir)).isInstanceOf(StorageException.class)
                .hasMessageContaining("frame type");
    }
}
