package org.embedrec.data.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.data.Fixtures.lines;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.DataFormatException;
import org.embedrec.data.Fixtures;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Users;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLens1mReaderTest {
    @TempDir
    Path dir;

    private Path ml1m() {
        Fixtures.write(dir, "ratings.dat", lines(
                "1::1193::5::978300760",
                "1::661::3::978302109",
                "2::1193::4::978298413",
                "2::3::2::978299000"), StandardCharsets.ISO_8859_1);
        Fixtures.write(dir, "movies.dat", lines(
                "1193::One Flew Over the Cuckoo's Nest (1975)::Drama",
                "661::James and the Giant Peach (1996)::Animation|Children's|Musical",
                "3::Misérables, Les (1995)::Drama|Musical",
                "5::Never Rated (1999)::Comedy"), StandardCharsets.ISO_8859_1);
        Fixtures.write(dir, "users.dat", lines(
                "1::F::1::10::48067",
                "2::M::56::16::70072"), StandardCharsets.ISO_8859_1);
        return dir;
    }

    @Test
    void readsAllThreeFiles() {
        RatingsData data = MovieLensReader.read(ml1m());

        assertThat(data.name()).isEqualTo("ml-1m");
        Interactions x = data.interactions();
        assertThat(x.size()).isEqualTo(4);
        assertThat(x.numItems()).as("movies.dat defines the items, rated or not").isEqualTo(4);
        Items items = data.items().orElseThrow();
        int les = x.items().denseId("3");
        assertThat(items.title(les)).isEqualTo("Misérables, Les (1995)");
        assertThat(items.genres(les)).containsExactly("Drama", "Musical");
        assertThat(items.year(les)).hasValue(1995);
        assertThat(items.genreNames()).containsExactly("Drama", "Animation", "Children's", "Musical", "Comedy");
        Users users = data.users().orElseThrow();
        int u2 = x.users().denseId("2");
        assertThat(users.gender(u2)).contains("M");
        assertThat(users.age(u2)).hasValue(56);
        assertThat(users.occupation(u2)).contains("self-employed");
        assertThat(users.occupation(x.users().denseId("1"))).contains("K-12 student");
    }

    @Test
    void aMalformedLineNamesFileAndLine() {
        ml1m();
        Fixtures.write(dir, "ratings.dat", lines("1::1193::5::978300760", "1:661:3:978302109"),
                StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("ratings.dat line 2: expected 4 '::'-separated fields (user, item, rating, timestamp), got 1:"
                        + " '1:661:3:978302109'");
    }

    @Test
    void aBadOccupationCodeIsReported() {
        ml1m();
        Fixtures.write(dir, "users.dat", lines("1::F::1::10::48067", "2::M::56::42::70072"),
                StandardCharsets.ISO_8859_1);

        RatingsData data = MovieLensReader.read(dir, BadLinePolicy.SKIP);

        assertThat(data.skipReasons().get(0)).startsWith("users.dat line 2: expected an occupation code 0-20");
        assertThat(data.skipReasons().get(1)).startsWith("ratings.dat line 3: unknown user id '2' (not in users.dat)");
        assertThat(data.skippedLines()).isEqualTo(3);
        assertThat(data.interactions().size()).isEqualTo(2);
    }
}
