package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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

    private static void writeSet(Path dir, String model, String weights) throws IOException {
        AtomicFiles.writeDirectory(dir, files -> {
            Files.writeString(files.resolve("model.json"), model);
            Files.createDirectories(files.resolve("extra"));
            Files.writeString(files.resolve("extra/weights.bin"), weights);
        });
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aDirectoryIsWrittenAsOneVersionNamedByItsManifest(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        writeSet(model, "{}", "0123");

        Path current = AtomicFiles.currentDirectory(model);
        assertThat(current).isEqualTo(model.resolve("version-000001"));
        assertThat(Files.readString(current.resolve("extra/weights.bin"))).isEqualTo("0123");
        assertThat(listing(model)).containsExactly(".lock", "CURRENT", "version-000001", "version-000001/extra",
                "version-000001/extra/weights.bin", "version-000001/model.json");
        assertThat(Files.readString(model.resolve("CURRENT"))).startsWith("""
                embedrec-directory 1
                current version-000001
                file extra/weights.bin 4\s""").contains("\nfile model.json 2 ").endsWith("\n");
    }

    @Test
    void aNewVersionReplacesTheWholeSetAndTheOldOneIsDeleted(@TempDir Path dir) throws IOException {
        writeSet(dir, "old", "old weights");
        writeSet(dir, "new", "new weights");

        Path current = AtomicFiles.currentDirectory(dir);
        assertThat(current.getFileName().toString()).isEqualTo("version-000002");
        assertThat(Files.readString(current.resolve("model.json"))).isEqualTo("new");
        assertThat(dir.resolve("version-000001")).doesNotExist();
    }

    @Test
    void aFailingWriterLeavesThePreviousSetCurrentAndNothingBehind(@TempDir Path dir) throws IOException {
        writeSet(dir, "good", "good weights");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(dir, files -> {
            Files.writeString(files.resolve("model.json"), "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(Files.readString(AtomicFiles.currentDirectory(dir).resolve("model.json"))).isEqualTo("good");
        assertThat(listing(dir)).filteredOn(name -> name.startsWith("version-") && !name.contains("/"))
                .containsExactly("version-000001");
    }

    @Test
    void leftoversOfAKilledWriteAreIgnoredByReadersAndRemovedByTheNextWrite(@TempDir Path dir) throws IOException {
        writeSet(dir, "good", "good weights");
        // What a process killed before its commit leaves: a filled version nobody names, a temporary manifest.
        Files.createDirectories(dir.resolve("version-000002"));
        Files.writeString(dir.resolve("version-000002/model.json"), "torn");
        Files.writeString(dir.resolve(".CURRENT.x1y2.tmp"), "embedrec-dir");

        assertThat(Files.readString(AtomicFiles.currentDirectory(dir).resolve("model.json"))).isEqualTo("good");
        writeSet(dir, "next", "next weights");
        assertThat(AtomicFiles.currentDirectory(dir).getFileName().toString()).isEqualTo("version-000003");
        assertThat(listing(dir)).filteredOn(name -> !name.contains("/"))
                .containsExactly(".lock", "CURRENT", "version-000003");
    }

    @Test
    void aDirectoryWithoutManifestIsReadAsItIsAndWritingOverItReplacesItsCopiesOnly(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("model.json"), "unversioned");
        Files.writeString(dir.resolve("notes.txt"), "the user's own file");
        assertThat(AtomicFiles.currentDirectory(dir)).isEqualTo(dir);
        assertThat(AtomicFiles.currentDirectory(dir.resolve("nowhere"))).isEqualTo(dir.resolve("nowhere"));

        writeSet(dir, "versioned", "w");
        assertThat(dir.resolve("model.json")).doesNotExist();
        assertThat(dir.resolve("notes.txt")).hasContent("the user's own file");
        assertThat(Files.readString(AtomicFiles.currentDirectory(dir).resolve("model.json"))).isEqualTo("versioned");
    }

    @Test
    void everyChangedByteOfAFileIsDetectedAndNamed(@TempDir Path dir) throws IOException {
        writeSet(dir, "{\"a\": 1}", "weights");
        Path file = AtomicFiles.currentDirectory(dir).resolve("model.json");
        byte[] original = Files.readAllBytes(file);
        for (int i = 0; i < original.length; i++) {
            byte[] changed = original.clone();
            changed[i] ^= 0x20;
            Files.write(file, changed);
            assertThatThrownBy(() -> AtomicFiles.currentDirectory(dir)).as("byte %d", i)
                    .isInstanceOf(ModelFileException.class)
                    .hasMessageContaining("model.json: checksum");
        }
        Files.write(file, original);
        Files.write(file, new byte[] {'{', '}'});
        assertThatThrownBy(() -> AtomicFiles.currentDirectory(dir)).hasMessageContaining("model.json: 2 bytes, "
                + "CURRENT lists 8; the file was changed or cut short");
        Files.delete(file);
        assertThatThrownBy(() -> AtomicFiles.currentDirectory(dir)).hasMessageContaining("model.json: missing");
    }

    @Test
    void everyValueOfEveryByteOfTheManifestBesidesItsOwnIsRefused(@TempDir Path dir) throws IOException {
        writeSet(dir, "m", "w");
        Path manifest = dir.resolve("CURRENT");
        byte[] original = Files.readAllBytes(manifest);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < original.length; i++) {
            for (int v = 0; v < 256; v++) {
                if (v == (original[i] & 0xFF)) {
                    continue;
                }
                byte[] changed = original.clone();
                changed[i] = (byte) v;
                // What currentDirectory does, without writing the file 40,000 times.
                try {
                    DirectoryManifest parsed = DirectoryManifest.parse(manifest, changed);
                    parsed.verify(dir.resolve(parsed.version()));
                    accepted.add("byte " + i + " = " + v);
                } catch (ModelFileException expected) {
                    assertThat(expected.getMessage()).startsWith(dir.toString());
                }
            }
        }
        assertThat(accepted).isEmpty();
    }
}
