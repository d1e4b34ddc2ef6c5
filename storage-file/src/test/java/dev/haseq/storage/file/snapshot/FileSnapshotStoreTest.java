package dev.haseq.storage.file.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.storage.SnapshotMeta;
import dev.haseq.api.storage.SnapshotStore;
import dev.haseq.storage.file.TestContexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format-specific behaviour of the file snapshot store; the contract is tested in it-tests. */
class FileSnapshotStoreTest {
    @TempDir
    Path dir;
    private final TestContexts.Recorder events = new TestContexts.Recorder();

    private FileSnapshotStore open(int snapCount) {
        return FileSnapshotStore.open(dir, snapCount, events);
    }

    private static SnapshotMeta commit(SnapshotStore s, long index, long term, byte[] payload) throws IOException {
        try (SnapshotStore.Writer w = s.create(SnapshotMeta.of(index, term))) {
            w.stream().write(payload);
            return w.commit();
        }
    }

    private long filesIn() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void fileIsHeaderPayloadTrailerNamedTermDashIndex() throws IOException {
        byte[] payload = "chain head".getBytes();
        try (FileSnapshotStore s = open(3)) {
            commit(s, 500, 7, payload);
        }
        Path file = dir.resolve("7-500.snp");
        byte[] all = Files.readAllBytes(file);
        assertThat(all).hasSize(SnapshotFormat.HEADER_BYTES + payload.length + SnapshotFormat.TRAILER_BYTES);
        assertThat(new String(all, 0, 4)).isEqualTo("HQSN");
        assertThat(ByteBuffer.wrap(all).getLong(8)).isEqualTo(500);
        assertThat(ByteBuffer.wrap(all).getLong(16)).isEqualTo(7);
        assertThat(Arrays.copyOfRange(all, SnapshotFormat.HEADER_BYTES, SnapshotFormat.HEADER_BYTES + payload.length))
                .isEqualTo(payload);
        assertThat(new String(all, all.length - SnapshotFormat.TRAILER_BYTES, 4)).isEqualTo("HQSE");
    }

    @Test
    void leftoverTempFilesOfACrashedWriterAreDeletedOnOpen() throws IOException {
        FileSnapshotStore crashed = open(3);
        SnapshotStore.Writer w = crashed.create(SnapshotMeta.of(10, 1));
        w.stream().write(new byte[1000]);
        Files.write(dir.resolve("notes.txt"), new byte[1]);
        assertThat(filesIn()).isEqualTo(2);
        try (FileSnapshotStore s = open(3)) {
            assertThat(s.list()).isEmpty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
        w.close();
    }

    @Test
    void closingWithoutCommitLeavesNoFile() throws IOException {
        try (FileSnapshotStore s = open(3)) {
            try (SnapshotStore.Writer w = s.create(SnapshotMeta.of(10, 1))) {
                w.stream().write(new byte[100]);
            }
        }
        assertThat(filesIn()).isZero();
    }

    @Test
    void aRenamedSnapshotIsCorruptBecauseItsHeaderDisagrees() throws IOException {
        try (FileSnapshotStore s = open(3)) {
            commit(s, 100, 1, new byte[10]);
            commit(s, 200, 1, new byte[20]);
        }
        Files.move(dir.resolve("1-200.snp"), dir.resolve("1-300.snp"));
        try (FileSnapshotStore s = open(3)) {
            try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                assertThat(r.meta()).isEqualTo(new SnapshotMeta(100, 1, 10));
            }
        }
        assertThat(events.skipped).singleElement().asString().startsWith("1-300.snp").contains("header says");
    }

    @Test
    void dataChangedAfterVerificationFailsTheStreamInsteadOfReturningWrongState() throws IOException {
        byte[] payload = new byte[200_000];
        Arrays.fill(payload, (byte) 3);
        try (FileSnapshotStore s = open(3)) {
            commit(s, 1, 1, payload);
            try (SnapshotStore.Reader r = s.openLatest().orElseThrow()) {
                try (var ch = java.nio.channels.FileChannel.open(dir.resolve("1-1.snp"),
                        java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[] {9}), SnapshotFormat.HEADER_BYTES + 150_000);
                }
                InputStream in = r.stream();
                assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("checksum");
            }
        }
    }

    @Test
    void writerRejectsUseAfterCommit() throws IOException {
        try (FileSnapshotStore s = open(3)) {
            SnapshotStore.Writer w = s.create(SnapshotMeta.of(5, 1));
            OutputStream out = w.stream();
            out.write(1);
            assertThat(w.commit().size()).isEqualTo(1);
            assertThatThrownBy(() -> out.write(2)).isInstanceOf(IOException.class);
            assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
            w.close();
            assertThat(s.list()).containsExactly(new SnapshotMeta(5, 1, 1));
        }
    }

    @Test
    void namesThatAreNotSnapshotsAreIgnoredByList() throws IOException {
        Files.write(dir.resolve("x-1.snp"), new byte[100]);
        Files.write(dir.resolve("1-2.snp.bak"), new byte[100]);
        try (FileSnapshotStore s = open(3)) {
            assertThat(s.list()).isEmpty();
            assertThat(s.openLatest()).isEmpty();
        }
        assertThat(SnapshotFormat.parseName("12-345.snp")).isEqualTo(SnapshotMeta.of(345, 12));
        assertThat(SnapshotFormat.parseName("-345.snp")).isNull();
        assertThat(SnapshotFormat.parseName("12-.snp")).isNull();
    }

    @Test
    void snapCountBelowOneIsRejected() {
        assertThatThrownBy(() -> open(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snap_count");
    }

    @Test
    void aReaderNeverSeesNoSnapshotWhilePublicationAndRetentionRun() throws Exception {
        // A directory listing racing a publication (rename in, then retention deletes) can miss every
        // name; openLatest must not report "no snapshot" then. snap_count 1 maximizes deletions.
        try (FileSnapshotStore s = open(1)) {
            commit(s, 1, 1, new byte[16]);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger empty = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
            Thread reader = Thread.ofPlatform().start(() -> {
                for (int k = 0; k < 1_000_000 && !stop.get(); k++) {
                    java.util.Optional<SnapshotStore.Reader> r = s.openLatest();
                    if (r.isEmpty()) {
                        empty.incrementAndGet();
                    } else {
                        try (SnapshotStore.Reader open = r.get()) {
                            reads.incrementAndGet();
                        }
                    }
                }
            });
            try {
                for (long i = 2; i <= 400; i++) {
                    commit(s, i, 1, new byte[16]);
                }
            } finally {
                stop.set(true);
                reader.join(30_000);
            }
            assertThat(empty.get()).as("openLatest answered 'no snapshot' while one existed").isZero();
            assertThat(reads.get()).isPositive();
        }
    }
}
