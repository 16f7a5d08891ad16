package org.embedrec.data.movielens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One fuzz input as the files of a release: the bytes up to the first NUL are the first file,
 * up to the next NUL the second, and so on; a file the input has no part for is absent. A
 * seed is the files joined by NUL bytes.
 */
final class ReleaseFiles {
    private ReleaseFiles() {
    }

    static void write(Path dir, byte[] input, String... names) throws IOException {
        int from = 0;
        for (String name : names) {
            Path file = dir.resolve(name);
            if (from > input.length) {
                Files.deleteIfExists(file);
                continue;
            }
            int nul = from;
            while (nul < input.length && input[nul] != 0) {
                nul++;
            }
            Files.write(file, Arrays.copyOfRange(input, from, nul));
            from = nul + 1;
        }
    }
}
