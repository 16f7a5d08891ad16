package org.embedrec.data.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.data.Fixtures.lines;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.DataFormatException;
import org.embedrec.data.Fixtures;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.Users;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLens100kReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRatingsItemsAndUsersWithTheItemFileDefiningTheItemIds() {
        RatingsData data = MovieLensReader.read(MovieLensFixtures.ml100k(dir));

        Interactions x = data.interactions();
        assertThat(data.name()).isEqualTo("ml-100k");
        assertThat(x.size()).isEqualTo(8);
        assertThat(x.numUsers()).isEqualTo(3);
        assertThat(x.items().rawIds()).containsExactly("10", "20", "30", "40");
        assertThat(x.hasTimestamps()).isTrue();
        assertThat(x.users().rawId(x.user(3))).isEqualTo("2");
        assertThat(x.items().rawId(x.item(3))).isEqualTo("30");
        assertThat(x.rating(3)).isEqualTo(1f);
        assertThat(x.timestamp(3)).isEqualTo(881251000L);
        assertThat(data.skippedLines()).isZero();
        assertThat(data.source()).contains(dir);
    }

    @Test
    void readsAnIso88591TitleWithAnAccentAndParsesDatesYearsAndGenres() {
        RatingsData data = MovieLensReader.read(MovieLensFixtures.ml100k(dir));
        Items items = data.items().orElseThrow();
        int les = data.interactions().items().denseId("20");

        assertThat(items.title(les)).isEqualTo("Misérables, Les (1995)");
        assertThat(items.genres(les)).containsExactly("Drama");
        assertThat(items.releaseDate(les)).contains(LocalDate.of(1995, 1, 1));
        int toy = data.interactions().items().denseId("10");
        assertThat(items.genres(toy)).containsExactly("Animation", "Children's", "Comedy");
        assertThat(items.year(toy)).hasValue(1995);
        int night = data.interactions().items().denseId("40");
        assertThat(items.releaseDate(night)).contains(LocalDate.of(1972, 2, 4));
        assertThat(items.genres(night)).containsExactly("Action", "Thriller");
        int unknown = data.interactions().items().denseId("30");
        assertThat(items.title(unknown)).isEqualTo("unknown");
        assertThat(items.year(unknown)).isEmpty();
        assertThat(items.releaseDate(unknown)).isEmpty();
    }

    @Test
    void readsUsers() {
        RatingsData data = MovieLensReader.read(MovieLensFixtures.ml100k(dir));
        Users users = data.users().orElseThrow();
        int u2 = data.interactions().users().denseId("2");

        assertThat(users.age(u2)).hasValue(53);
        assertThat(users.gender(u2)).contains("F");
        assertThat(users.occupation(u2)).contains("other");
        assertThat(users.zip(u2)).contains("94043");
    }

    @Test
    void usesTheStandardGenresWhenUGenreIsAbsent() throws Exception {
        MovieLensFixtures.ml100k(dir);
        Files.delete(dir.resolve("u.genre"));

        Items items = MovieLensReader.read(dir).items().orElseThrow();

        assertThat(items.genreNames()).isEqualTo(MovieLens100k.STANDARD_GENRES);
        assertThat(items.genreNames()).hasSize(19).startsWith("unknown", "Action").endsWith("Western");
    }

    @Test
    void withoutSideFilesNumbersIdsByFirstAppearance() throws Exception {
        MovieLensFixtures.ml100k(dir);
        Files.delete(dir.resolve("u.item"));
        Files.delete(dir.resolve("u.user"));

        RatingsData data = MovieLensReader.read(dir);

        assertThat(data.items()).isEmpty();
        assertThat(data.users()).isEmpty();
        assertThat(data.interactions().items().rawIds()).containsExactly("10", "20", "30", "40");
        assertThat(data.interactions().users().rawIds()).containsExactly("1", "2", "3");
    }

    @Test
    void aMalformedLineFailsNamingFileLineTextAndExpectation() {
        MovieLensFixtures.ml100k(dir);
        Fixtures.write(dir, "u.data", lines("1\t10\t5\t881250949", "1\t20\t5"), StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("u.data line 2: expected 4 tab-separated fields (user, item, rating, timestamp), got 3:"
                        + " '1\\t20\\t5'")
                .satisfies(e -> {
                    DataFormatException d = (DataFormatException) e;
                    assertThat(d.source()).isEqualTo("u.data");
                    assertThat(d.line()).isEqualTo(2);
                    assertThat(d.text()).isEqualTo("1\t20\t5");
                });
    }

    @Test
    void aBadNumberNamesTheField() {
        MovieLensFixtures.ml100k(dir);
        Fixtures.write(dir, "u.data", lines("1\t10\tfive\t881250949"), StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("u.data line 1: expected a number for the rating (field 3), got 'five'");
    }

    @Test
    void anItemIdMissingFromUItemIsAnErrorNamingTheId() {
        MovieLensFixtures.ml100k(dir);
        Fixtures.write(dir, "u.data", lines("1\t10\t5\t881250949", "1\t99\t4\t881250949"),
                StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith("u.data line 2: unknown item id '99' (not in u.item)");
    }

    @Test
    void skipPolicyCountsBadLinesAndKeepsTheirReasons() {
        MovieLensFixtures.ml100k(dir);
        Fixtures.write(dir, "u.data", lines(
                "1\t10\t5\t881250949",
                "garbage",
                "1\t99\t4\t881250949",
                "",
                "2\t20\t4\t881250000",
                "2\t30\tx\t881250000"), StandardCharsets.ISO_8859_1);

        RatingsData data = MovieLensReader.read(dir, BadLinePolicy.SKIP);

        assertThat(data.interactions().size()).isEqualTo(2);
        assertThat(data.skippedLines()).isEqualTo(3);
        assertThat(data.skipReasons()).hasSize(3);
        assertThat(data.skipReasons().get(0)).startsWith("u.data line 2: expected 4 tab-separated fields");
        assertThat(data.skipReasons().get(1)).startsWith("u.data line 3: unknown item id '99'");
        assertThat(data.skipReasons().get(2)).startsWith("u.data line 6: expected a number for the rating");
        assertThat(data.toString()).contains("3 lines skipped");
    }

    @Test
    void aBadItemLineFailsWithItsFieldCount() {
        MovieLensFixtures.ml100k(dir);
        Fixtures.write(dir, "u.item", lines("10|Toy Tale (1995)|01-Jan-1995||url|0|0"), StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith("u.item line 1: expected 24 pipe-separated fields (id|title|release date|"
                        + "video release date|IMDb URL|19 genre flags), got 7");
    }

    @Test
    void aBadReleaseDateAndABadGenreFlagAreReported() {
        MovieLensFixtures.ml100k(dir);
        Fixtures.write(dir, "u.item", lines(
                "10|A (1995)|yesterday||url|" + MovieLensFixtures.flags(1),
                "20|B (1995)|01-Jan-1995||url|" + MovieLensFixtures.flags(1).replaceFirst("1", "7")),
                StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MovieLensReader.read(dir))
                .hasMessageContaining("u.item line 1: expected a release date like 01-Jan-1995 in field 3, got 'yesterday'");
        RatingsData skipped = MovieLensReader.read(dir, BadLinePolicy.SKIP);
        assertThat(skipped.skipReasons()).anySatisfy(r -> assertThat(r)
                .startsWith("u.item line 2: expected 0 or 1 for genre 'Action' (field 7), got '7'"));
    }

    @Test
    void canonicalSplitIsReadIntoTheSameIdSpace() {
        RatingsData full = MovieLensReader.read(MovieLensFixtures.ml100k(dir));

        Split split = MovieLensReader.readCanonicalSplit(full, "u1");

        assertThat(split.train().size()).isEqualTo(5);
        assertThat(split.test().size()).isEqualTo(3);
        assertThat(split.train().users()).isSameAs(full.interactions().users());
        assertThat(split.test().items()).isSameAs(full.interactions().items());
        assertThat(split.test().items().rawId(split.test().item(0))).isEqualTo("20");
        assertThat(split.test().item(0)).isEqualTo(full.interactions().items().denseId("20"));
    }

    @Test
    void canonicalSplitErrors() {
        RatingsData full = MovieLensReader.read(MovieLensFixtures.ml100k(dir));

        assertThatThrownBy(() -> MovieLensReader.readCanonicalSplit(full, "u9"))
                .hasMessageContaining("unknown MovieLens 100K split 'u9'").hasMessageContaining("u1");
        assertThatThrownBy(() -> MovieLensReader.readCanonicalSplit(full, "u2"))
                .hasMessageContaining("u2.base not found");
        Fixtures.write(dir, "u1.test", lines("7\t10\t3\t1"), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> MovieLensReader.readCanonicalSplit(full, "u1"))
                .hasMessageStartingWith("u1.test line 1: unknown user id '7'");
        assertThatThrownBy(() -> MovieLensReader.readCanonicalSplit(RatingsData.of("x", full.interactions()), "u1"))
                .hasMessageContaining("not read from a directory");
    }
}
