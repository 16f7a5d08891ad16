package org.embedrec.io;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as a weights file either read as safetensors or fail with a
 * {@link ModelFileException}; in particular a header or a shape claiming gigabytes is refused
 * before anything of that size is allocated.
 */
class SafeTensorsFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "2m")
    void weightsFile(byte[] input) throws Exception {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, input);
        loadsOrFailsWith(() -> SafeTensors.read(file), ModelFileException.class);
    }
}
