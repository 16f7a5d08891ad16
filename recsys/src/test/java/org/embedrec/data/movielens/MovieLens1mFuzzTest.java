package org.embedrec.data.movielens;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MovieLens 1M directory whose {@code ratings.dat}, {@code movies.dat} and {@code users.dat}
 * are the NUL-separated parts of the input ({@link ReleaseFiles}; a table without its part is
 * absent) either reads or fails with an IllegalArgumentException naming the file and line.
 */
class MovieLens1mFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "2m")
    void release(byte[] input) throws Exception {
        ReleaseFiles.write(dir, input, "ratings.dat", "movies.dat", "users.dat");
        loadsOrFailsWith(() -> MovieLensReader.read(dir), IllegalArgumentException.class);
    }
}
