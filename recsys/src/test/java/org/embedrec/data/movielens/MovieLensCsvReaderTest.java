package org.embedrec.data.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.data.Fixtures.lines;

import java.nio.file.Path;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.DataFormatException;
import org.embedrec.data.Fixtures;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensCsvReaderTest {
    @TempDir
    Path dir;

    private Path csvRelease() {
        Fixtures.write(dir, "ratings.csv", lines(
                "userId,movieId,rating,timestamp",
                "1,1,4.0,964982703",
                "1,3,4.5,964981247",
                "2,6,0.5,964982224",
                "2,1,5.0,964983815"));
        Fixtures.write(dir, "movies.csv", lines(
                "movieId,title,genres",
                "1,Toy Tale (1995),Adventure|Animation|Children|Comedy|Fantasy",
                "3,\"Misérables, Les (1995)\",Drama|War",
                "6,\"Heat, \"\"The Remake\"\" (1995) \",Action|Crime|Thriller",
                "7,Untitled,(no genres listed)"));
        return dir;
    }

    @Test
    void readsQuotedTitlesWithCommasAndHalfStarRatings() {
        RatingsData data = MovieLensReader.read(csvRelease());

        assertThat(data.name()).isEqualTo(dir.getFileName().toString());
        Interactions x = data.interactions();
        assertThat(x.size()).isEqualTo(4);
        assertThat(x.rating(1)).isEqualTo(4.5f);
        assertThat(x.rating(2)).isEqualTo(0.5f);
        assertThat(x.timestamp(3)).isEqualTo(964983815L);
        assertThat(x.numItems()).isEqualTo(4);
        Items items = data.items().orElseThrow();
        assertThat(items.title(x.items().denseId("3"))).isEqualTo("Misérables, Les (1995)");
        int heat = x.items().denseId("6");
        assertThat(items.title(heat)).isEqualTo("Heat, \"The Remake\" (1995) ");
        assertThat(items.year(heat)).hasValue(1995);
        assertThat(items.genres(heat)).containsExactly("Action", "Crime", "Thriller");
        int untitled = x.items().denseId("7");
        assertThat(items.genres(untitled)).isEmpty();
        assertThat(items.year(untitled)).isEmpty();
        assertThat(data.users()).isEmpty();
    }

    @Test
    void badLinesAndUnknownMoviesAreReportedWithLineNumbers() {
        csvRelease();
        Fixtures.write(dir, "ratings.csv", lines(
                "userId,movieId,rating,timestamp",
                "1,1,4.0,964982703",
                "1,42,4.0,964982703",
                "1,3,4.0"));

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("ratings.csv line 3: unknown item id '42' (not in movies.csv): '1,42,4.0,964982703'");
        RatingsData data = MovieLensReader.read(dir, BadLinePolicy.SKIP);
        assertThat(data.skippedLines()).isEqualTo(2);
        assertThat(data.skipReasons().get(1))
                .isEqualTo("ratings.csv line 4: expected 4 fields [userId, movieId, rating, timestamp], got 3: '1,3,4.0'");
    }

    @Test
    void aWrongMoviesHeaderFails() {
        csvRelease();
        Fixtures.write(dir, "movies.csv", lines("id,name,genres", "1,A,Drama"));

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .hasMessage("movies.csv line 1: expected the header movieId,title,genres: 'id,name,genres'");
    }
}
