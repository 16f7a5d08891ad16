package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesTheTargetWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("report.json");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new content");
        assertThat(Files.readString(target)).isEqualTo("new content");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.json");
        AtomicFiles.writeString(target, "good");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(target)).isEqualTo("good");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aWriterThatClosesTheStreamStillCommits(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("closed.json");
        AtomicFiles.write(target, out -> {
            out.write("{}".getBytes());
            out.close();
        });
        assertThat(Files.readString(target)).isEqualTo("{}");
    }

    @Test
    void theFileGetsTheSamePermissionsAsAPlainlyCreatedOne(@TempDir Path dir) throws IOException {
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path target = dir.resolve("atomic.txt");
        AtomicFiles.writeString(target, "x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
    }
}
