package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles#createDirectory}: a new directory appears whole or not at all. */
class AtomicDirectoryCreationTest {
    @TempDir
    Path tmp;

    private Stream<String> names() throws IOException {
        return Files.list(tmp).map(p -> p.getFileName().toString());
    }

    @Test
    void appearsWholeAndLeavesNoTemporaryDirectory() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        AtomicFiles.createDirectory(tmp.resolve("empty"), d -> Files.writeString(d.resolve("a.csv"), "x"));
        AtomicFiles.createDirectory(tmp.resolve("new"), d -> Files.writeString(d.resolve("b.csv"), "y"));
        assertThat(Files.readString(tmp.resolve("empty/a.csv"))).isEqualTo("x");
        assertThat(Files.readString(tmp.resolve("new/b.csv"))).isEqualTo("y");
        try (Stream<String> names = names()) {
            assertThat(names).containsExactlyInAnyOrder("empty", "new");
        }
    }

    @Test
    void aFailingWriterLeavesNothingAndAFullDirectoryIsRefused() throws IOException {
        assertThatThrownBy(() -> AtomicFiles.createDirectory(tmp.resolve("out"), d -> {
            Files.writeString(d.resolve("half.csv"), "x");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        try (Stream<String> names = names()) {
            assertThat(names).isEmpty();
        }
        Path taken = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(taken.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> AtomicFiles.createDirectory(taken, d -> { }))
                .hasMessageContaining("taken: exists and is not an empty directory");
        assertThat(Files.readString(taken.resolve("keep.txt"))).isEqualTo("mine");
    }
}
