package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
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

    /** A save of two files that belong together, {@code a} and {@code b}, both holding {@code text}. */
    private static Path savePair(Path dir, String text) throws IOException {
        return AtomicFiles.writeDirectory(dir, tmp -> {
            Files.writeString(tmp.resolve("a.txt"), text);
            Files.createDirectories(tmp.resolve("sub"));
            Files.writeString(tmp.resolve("sub/b.txt"), text);
        });
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachDirectorySaveIsANewNumberedVersionAndReadersTakeTheHighest(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        assertThat(savePair(model, "first")).isEqualTo(model.resolve("1"));
        assertThat(savePair(model, "second")).isEqualTo(model.resolve("2"));
        Path current = AtomicFiles.currentVersion(model);
        assertThat(current).isEqualTo(model.resolve("2"));
        assertThat(Files.readString(current.resolve("a.txt"))).isEqualTo("second");
        assertThat(Files.readString(current.resolve("sub/b.txt"))).isEqualTo("second");
        assertThat(names(current)).containsExactly("a.txt", AtomicFiles.MANIFEST, "sub");
        // The version before stays for readers that started on it; older ones go.
        savePair(model, "third");
        assertThat(names(model)).containsExactly("2", "3");
    }

    @Test
    void aFailedDirectorySaveChangesNothing(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        savePair(model, "good");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(model, tmp -> {
            Files.writeString(tmp.resolve("a.txt"), "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(names(model)).containsExactly("1");
        assertThat(Files.readString(AtomicFiles.currentVersion(model).resolve("a.txt"))).isEqualTo("good");
    }

    @Test
    void aVersionWithoutItsManifestIsRefusedAsIncomplete(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        savePair(model, "good");
        // As a crash in the middle of copying a version in by hand leaves it.
        Files.createDirectories(model.resolve("2"));
        Files.writeString(model.resolve("2/a.txt"), "half");
        assertThatThrownBy(() -> AtomicFiles.currentVersion(model))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("2: no manifest.json, so not a complete saved version");
    }

    @Test
    void aFileChangedAfterTheSaveIsNamed(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Path version = savePair(model, "abc");
        Files.writeString(version.resolve("sub/b.txt"), "abd");
        assertThatThrownBy(() -> AtomicFiles.currentVersion(model))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("b.txt: checksum").hasMessageContaining("changed after its save");
        Files.writeString(version.resolve("sub/b.txt"), "abcd");
        assertThatThrownBy(() -> AtomicFiles.currentVersion(model)).hasMessageContaining("b.txt: 4 bytes, manifest.json lists 3");
        Files.delete(version.resolve("a.txt"));
        assertThatThrownBy(() -> AtomicFiles.currentVersion(model)).hasMessageContaining("a.txt is missing");
    }

    @Test
    void aFlatDirectoryIsItsOwnCurrentVersionUntilAVersionedSaveReplacesItsFiles(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("a.txt"), "flat");
        Files.writeString(model.resolve("notes.txt"), "the user's own");
        assertThat(AtomicFiles.currentVersion(model)).isEqualTo(model);
        savePair(model, "versioned");
        assertThat(AtomicFiles.currentVersion(model)).isEqualTo(model.resolve("1"));
        assertThat(names(model)).containsExactly("1", "notes.txt");
    }

    @Test
    void aSaveRemovesTemporaryDirectoriesAbandonedLongAgoButNotRecentOnes(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Path old = Files.createDirectories(model.resolve(".tmp-crashed"));
        Files.writeString(old.resolve("a.txt"), "half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Path recent = Files.createDirectories(model.resolve(".tmp-running"));
        savePair(model, "new");
        assertThat(names(model)).containsExactly(".tmp-running", "1");
        assertThat(recent).isDirectory();
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("model"), "x");
        assertThatThrownBy(() -> savePair(file, "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists and is not a directory");
    }

    @Test
    void concurrentSavesEachPublishTheirOwnVersion(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> saves = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String text = "saver " + t;
                saves.add(pool.submit(() -> savePair(model, text)));
            }
            for (Future<Path> save : saves) {
                save.get(); // rethrows a failed save
            }
        } finally {
            pool.shutdown();
        }
        Path current = AtomicFiles.currentVersion(model);
        assertThat(current.getFileName().toString()).isEqualTo("4");
        assertThat(Files.readString(current.resolve("a.txt"))).isEqualTo(Files.readString(current.resolve("sub/b.txt")));
    }

    @Test
    void everyChangedByteOfAFileIsDetectedAndNamed(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Path version = savePair(model, "{\"a\": 1}");
        Path file = version.resolve("a.txt");
        byte[] original = Files.readAllBytes(file);
        for (int i = 0; i < original.length; i++) {
            byte[] changed = original.clone();
            changed[i] ^= 0x20;
            Files.write(file, changed);
            assertThatThrownBy(() -> AtomicFiles.currentVersion(model)).as("byte %d", i)
                    .isInstanceOf(ModelFileException.class)
                    .hasMessageContaining("a.txt: checksum");
        }
        Files.write(file, new byte[] {'{', '}'});
        assertThatThrownBy(() -> AtomicFiles.currentVersion(model))
                .hasMessageContaining("a.txt: 2 bytes, manifest.json lists 8 (the file was changed or truncated");
    }

    @Test
    void everyValueOfEveryByteOfTheManifestIsRefused(@TempDir Path dir) throws IOException {
        Path version = AtomicFiles.writeDirectory(dir.resolve("model"), tmp -> {
            Files.writeString(tmp.resolve("model.json"), "{}");
            Files.writeString(tmp.resolve("weights.bin"), "weights");
        });
        byte[] original = Files.readAllBytes(version.resolve(AtomicFiles.MANIFEST));
        DirectoryManifest.verify(version, original);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < original.length; i++) {
            for (int v = 0; v < 256; v++) {
                if (v == (original[i] & 0xFF)) {
                    continue;
                }
                byte[] changed = original.clone();
                changed[i] = (byte) v;
                // What currentVersion does with the file, without writing it 50,000 times.
                try {
                    DirectoryManifest.verify(version, changed);
                    accepted.add("byte " + i + " = " + v);
                } catch (ModelFileException expected) {
                    assertThat(expected.getMessage()).startsWith(version.toString());
                }
            }
        }
        assertThat(accepted).isEmpty();
    }
}
