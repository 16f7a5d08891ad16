package org.embedrec.data.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.embedrec.data.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatDetectionTest {
    @TempDir
    Path dir;

    @Test
    void recognisesEachReleaseByItsRatingsFile() {
        Fixtures.write(dir, "u.data", "1\t2\t3\t4\n");
        assertThat(MovieLensReader.detect(dir)).isEqualTo(MovieLensFormat.ML_100K);
    }

    @Test
    void recognises1mAndCsv(@TempDir Path other) {
        Fixtures.write(dir, "ratings.dat", "1::2::3::4\n");
        assertThat(MovieLensReader.detect(dir)).isEqualTo(MovieLensFormat.ML_1M);
        Fixtures.write(other, "ratings.csv", "userId,movieId,rating,timestamp\n1,2,3,4\n");
        assertThat(MovieLensReader.detect(other)).isEqualTo(MovieLensFormat.ML_CSV);
        assertThat(MovieLensReader.read(other).interactions().size()).isEqualTo(1);
    }

    @Test
    void acceptsThePathOfTheRatingsFile() {
        Path file = Fixtures.write(dir, "u.data", "1\t2\t3\t4\n");
        assertThat(MovieLensReader.read(file).interactions().size()).isEqualTo(1);
    }

    @Test
    void noMatchListsWhatWasExpectedAndWhatWasFound() {
        Fixtures.write(dir, "notes.txt", "hello");
        Fixtures.write(dir, "data.tsv", "1\t2");

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no MovieLens data found in " + dir)
                .hasMessageContaining("u.data (MovieLens 100K")
                .hasMessageContaining("ratings.dat (MovieLens 1M")
                .hasMessageContaining("ratings.csv (MovieLens CSV")
                .hasMessageEndingWith("found data.tsv, notes.txt");
    }

    @Test
    void emptyMissingAndAmbiguousDirectories() {
        assertThatThrownBy(() -> MovieLensReader.read(dir)).hasMessageEndingWith("found an empty directory");
        assertThatThrownBy(() -> MovieLensReader.read(dir.resolve("absent")))
                .hasMessageStartingWith("no such directory");
        Fixtures.write(dir, "u.data", "1\t2\t3\t4\n");
        Fixtures.write(dir, "ratings.csv", "userId,movieId,rating,timestamp\n");
        assertThatThrownBy(() -> MovieLensReader.read(dir)).hasMessageContaining("ambiguous MovieLens directory")
                .hasMessageContaining("ML_100K, ML_CSV");
    }
}
