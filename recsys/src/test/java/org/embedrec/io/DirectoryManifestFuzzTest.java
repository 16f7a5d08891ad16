package org.embedrec.io;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved directory whose version's {@code manifest.json} is any bytes, beside that version's
 * two valid files, either is read or fails with a {@link ModelFileException}. The seed
 * {@code valid} is what {@link AtomicFiles#writeDirectory} writes for those files.
 */
class DirectoryManifestFuzzTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFiles() throws Exception {
        AtomicFiles.writeDirectory(dir, files -> {
            Files.writeString(files.resolve("model.json"), "{}");
            Files.createDirectories(files.resolve("sub"));
            Files.writeString(files.resolve("sub/weights.bin"), "0123456789");
        });
    }

    @FuzzTest(maxDuration = "2m")
    void manifestFile(byte[] input) throws Exception {
        Files.write(dir.resolve("1").resolve(AtomicFiles.MANIFEST), input);
        loadsOrFailsWith(() -> AtomicFiles.currentVersion(dir), ModelFileException.class);
    }
}
