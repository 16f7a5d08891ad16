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
 * with an IllegalArgumentException naming the file and line. So do a directory with the side
 * tables (u.item, u.genre, u.user) and one with a canonical split (u1.base, u1.test), each file
 * a NUL-separated part of the input ({@link ReleaseFiles}); each target has a directory of its own.
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

    @FuzzTest(maxDuration = "2m")
    void sideTables(byte[] input) throws Exception {
        Path release = Files.createDirectories(dir.resolve("side-tables"));
        ReleaseFiles.write(release, input, "u.data", "u.user", "u.genre", "u.item");
        loadsOrFailsWith(() -> MovieLensReader.read(release), IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "2m")
    void canonicalSplit(byte[] input) throws Exception {
        Path release = Files.createDirectories(dir.resolve("canonical-split"));
        ReleaseFiles.write(release, input, "u.data", "u1.base", "u1.test");
        loadsOrFailsWith(() -> MovieLensReader.readCanonicalSplit(MovieLensReader.read(release), "u1"),
                IllegalArgumentException.class);
    }
}
