package org.embedrec.data.movielens;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MovieLens CSV release (ml-latest and its kin) whose {@code ratings.csv} and
 * {@code movies.csv} are the NUL-separated parts of the input ({@link ReleaseFiles}; movies.csv
 * absent without its part) either reads or fails with an IllegalArgumentException naming the
 * file and line.
 */
class MovieLensCsvFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "2m")
    void release(byte[] input) throws Exception {
        ReleaseFiles.write(dir, input, "ratings.csv", "movies.csv");
        loadsOrFailsWith(() -> MovieLensReader.read(dir), IllegalArgumentException.class);
    }
}
