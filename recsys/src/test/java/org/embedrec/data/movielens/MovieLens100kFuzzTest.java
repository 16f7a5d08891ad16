package org.embedrec.data.movielens;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MovieLens 100K directory whose {@code u.data} is the input up to its first NUL byte and
 * whose {@code u.item} is the rest (absent when the input has no NUL) either reads or fails
 * with an IllegalArgumentException naming the file and line.
 */
class MovieLens100kFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "2m")
    void release(byte[] input) throws Exception {
        int nul = 0;
        while (nul < input.length && input[nul] != 0) {
            nul++;
        }
        Files.write(dir.resolve("u.data"), Arrays.copyOf(input, nul));
        Path item = dir.resolve("u.item");
        if (nul < input.length) {
            Files.write(item, Arrays.copyOfRange(input, nul + 1, input.length));
        } else {
            Files.deleteIfExists(item);
        }
        loadsOrFailsWith(() -> MovieLensReader.read(dir), IllegalArgumentException.class);
    }
}
