package dev.haseq.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replaceCreatesAMissingFileWithExactlyTheContentAndLeavesNoTempFile() throws IOException {
        Path file = dir.resolve("raft-stable");

        AtomicFiles.replace(file, bytes("term 7"));

        assertThat(file).hasBinaryContent(bytes("term 7"));
        assertThat(dir.resolve("raft-stable" + AtomicFiles.TEMP_SUFFIX)).doesNotExist();
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(file);
        }
    }

    @Test
    void aShorterContentReplacesALongerFileWhole() {
        Path file = dir.resolve("log-meta");
        AtomicFiles.replace(file, bytes("a much longer first version"));

        AtomicFiles.replace(file, bytes("v2"));

        assertThat(file).hasBinaryContent(bytes("v2"));
    }

    @Test
    void aTempFileLeftByACrashIsOverwrittenNotAppendedTo() throws IOException {
        Path file = dir.resolve("haseq-compaction");
        AtomicFiles.replace(file, bytes("old"));
        // a crash after writing the temp file but before the rename: the old content still stands
        Files.write(dir.resolve("haseq-compaction" + AtomicFiles.TEMP_SUFFIX), bytes("half-written garbage, longer"));
        assertThat(file).hasBinaryContent(bytes("old"));

        AtomicFiles.replace(file, bytes("new"));

        assertThat(file).hasBinaryContent(bytes("new"));
        assertThat(dir.resolve("haseq-compaction" + AtomicFiles.TEMP_SUFFIX)).doesNotExist();
    }

    @Test
    void anEmptyContentIsWrittenAsAnEmptyFile() {
        Path file = dir.resolve("empty");
        AtomicFiles.replace(file, bytes("x"));

        AtomicFiles.replace(file, new byte[0]);

        assertThat(file).isEmptyFile();
    }

    @Test
    void aTargetInAMissingDirectoryIsAStorageExceptionNamingIt() {
        Path file = dir.resolve("no-such-dir").resolve("raft-stable");

        assertThatThrownBy(() -> AtomicFiles.replace(file, bytes("x")))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("cannot write " + file + ":");
        assertThat(dir.resolve("no-such-dir")).doesNotExist();
    }

    @Test
    void aDirectoryInTheTargetsPlaceIsRefusedAndLeftAsItWas() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("inside"));

        assertThatThrownBy(() -> AtomicFiles.replace(target, bytes("x")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(target.toString());
        assertThat(target.resolve("inside")).isDirectory();
    }

    @Test
    void readGivesBackWhatReplaceWroteAndNothingForAFileNeverWritten() {
        Path file = dir.resolve("raft-stable");
        assertThat(AtomicFiles.read(file)).isEmpty();

        AtomicFiles.replace(file, bytes("term 9"));

        assertThat(AtomicFiles.read(file)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("term 9")));
    }

    @Test
    void aFileThatCannotBeReadIsAStorageExceptionNamingIt() throws IOException {
        Path notAFile = Files.createDirectories(dir.resolve("raft-stable"));

        assertThatThrownBy(() -> AtomicFiles.read(notAFile))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("cannot read " + notAFile + ":");
    }

    @Test
    void fsyncOfAMissingDirectoryIsAStorageExceptionNamingIt() {
        Path missing = dir.resolve("gone");

        assertThatThrownBy(() -> AtomicFiles.fsyncDirectory(missing))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("cannot fsync directory " + missing + ":");
    }
}
