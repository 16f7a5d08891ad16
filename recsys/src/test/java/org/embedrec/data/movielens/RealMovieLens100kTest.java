package org.embedrec.data.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.junit.jupiter.api.Test;

/**
 * Checks the reader on the real MovieLens 100K when a local copy exists (never committed, see
 * DESIGN.md); skipped elsewhere. Set EMBEDREC_ML100K to point at another copy.
 */
class RealMovieLens100kTest {
    private static Path location() {
        String env = System.getenv("EMBEDREC_ML100K");
        if (env != null) {
            return Path.of(env);
        }
        for (Path p : new Path[] {Path.of("../../shared/data/ml-100k"), Path.of("../shared/data/ml-100k"),
            Path.of("/work/shared/data/ml-100k")}) {
            if (Files.isRegularFile(p.resolve("u.data"))) {
                return p;
            }
        }
        return Path.of("absent");
    }

    @Test
    void readsTheWholeDataSetWithItsKnownCounts() {
        Path dir = location();
        assumeTrue(Files.isRegularFile(dir.resolve("u.data")), "MovieLens 100K not available");

        RatingsData data = MovieLensReader.read(dir);

        assertThat(data.interactions().size()).isEqualTo(100_000);
        assertThat(data.interactions().numUsers()).isEqualTo(943);
        assertThat(data.interactions().numItems()).isEqualTo(1682);
        assertThat(data.items().orElseThrow().genreNames()).hasSize(19);
        assertThat(data.users().orElseThrow().size()).isEqualTo(943);
        assertThat(java.util.Arrays.stream(data.interactions().countsPerUser()).min().orElseThrow()).isGreaterThanOrEqualTo(20);
        for (String name : MovieLens100k.CANONICAL_SPLITS) {
            Split split = MovieLensReader.readCanonicalSplit(data, name);
            int expectedTest = name.startsWith("u") && Character.isDigit(name.charAt(1)) ? 20_000 : 9_430;
            assertThat(split.test().size()).isEqualTo(expectedTest);
            assertThat(split.train().size() + split.test().size()).isEqualTo(100_000);
        }
    }
}
