package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.data.Fixtures.lines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.embedrec.data.movielens.MovieLensFixtures;
import org.embedrec.data.movielens.MovieLensReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reader tells its {@link ReadProgress} one read: begin with the total, positive advances
 * that end exactly at it, then end. On the small fixtures each file fits in one chunk, so the
 * advances are exactly the sizes of the files the format reads, in the order it reads them.
 */
class ReadProgressTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path dir;

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertOneCompleteRead(RecordedProgress p, String what, long total) {
        assertThat(p.begins).isEqualTo(1);
        assertThat(p.ends).isEqualTo(1);
        assertThat(p.what).isEqualTo(what);
        assertThat(p.unit).isEqualTo(ReadProgress.Unit.BYTES);
        assertThat(p.total).isEqualTo(total);
        assertThat(p.positions()).isSorted().last().isEqualTo(total);
    }

    @Test
    void ml100kIsOneReadOverGenreItemUserAndDataFilesButNotTheSplits() {
        MovieLensFixtures.ml100k(dir);
        List<Path> read = List.of(dir.resolve("u.genre"), dir.resolve("u.item"), dir.resolve("u.user"),
                dir.resolve("u.data"));
        RecordedProgress p = new RecordedProgress();

        RatingsData data = MovieLensReader.read(dir, BadLinePolicy.FAIL, p);

        long total = read.stream().mapToLong(ReadProgressTest::size).sum();
        assertOneCompleteRead(p, dir.getFileName().toString(), total);
        assertThat(p.advances).containsExactly(read.stream().map(ReadProgressTest::size).toArray(Long[]::new));
        RatingsData plain = MovieLensReader.read(dir);
        assertThat(data.interactions().size()).isEqualTo(plain.interactions().size()).isEqualTo(8);
        assertThat(data.interactions().items().rawIds()).isEqualTo(plain.interactions().items().rawIds());
        assertThat(data.items().orElseThrow().title(1)).isEqualTo(plain.items().orElseThrow().title(1));
    }

    @Test
    void ml100kWithoutItemTableReadsNeitherUItemNorUGenre() throws IOException {
        MovieLensFixtures.ml100k(dir);
        Files.delete(dir.resolve("u.item"));
        Files.delete(dir.resolve("u.user"));
        RecordedProgress p = new RecordedProgress();

        MovieLensReader.read(dir, BadLinePolicy.FAIL, p);

        assertOneCompleteRead(p, dir.getFileName().toString(), size(dir.resolve("u.data")));
        assertThat(p.advances).containsExactly(size(dir.resolve("u.data")));
    }

    @Test
    void ml1mIsOneReadOverMoviesUsersAndRatings() {
        Fixtures.write(dir, "ratings.dat", lines("1::1193::5::978300760", "2::3::2::978299000"),
                StandardCharsets.ISO_8859_1);
        Fixtures.write(dir, "movies.dat", lines("1193::Nest (1975)::Drama", "3::Misérables, Les (1995)::Drama"),
                StandardCharsets.ISO_8859_1);
        Fixtures.write(dir, "users.dat", lines("1::F::1::10::48067", "2::M::56::16::70072"),
                StandardCharsets.ISO_8859_1);
        RecordedProgress p = new RecordedProgress();

        RatingsData data = MovieLensReader.read(dir, BadLinePolicy.FAIL, p);

        long movies = size(dir.resolve("movies.dat"));
        long users = size(dir.resolve("users.dat"));
        long ratings = size(dir.resolve("ratings.dat"));
        assertOneCompleteRead(p, dir.getFileName().toString(), movies + users + ratings);
        assertThat(p.advances).containsExactly(movies, users, ratings);
        assertThat(data.interactions().size()).isEqualTo(2);
    }

    @Test
    void csvReleaseCountsBytesNotCharactersOfItsUtf8Files() {
        Fixtures.write(dir, "ratings.csv", lines("userId,movieId,rating,timestamp", "1,3,4.5,964981247"));
        Fixtures.write(dir, "movies.csv", lines("movieId,title,genres", "3,\"Misérables, Les (1995)\",Drama|War"));
        RecordedProgress p = new RecordedProgress();

        RatingsData data = MovieLensReader.read(dir, BadLinePolicy.FAIL, p);

        long movies = size(dir.resolve("movies.csv"));
        long ratings = size(dir.resolve("ratings.csv"));
        assertThat(movies).as("é is two bytes in UTF-8").isEqualTo(
                lines("movieId,title,genres", "3,\"Misérables, Les (1995)\",Drama|War").length() + 1);
        assertOneCompleteRead(p, dir.getFileName().toString(), movies + ratings);
        assertThat(p.advances).containsExactly(movies, ratings);
        assertThat(data.items().orElseThrow().title(0)).isEqualTo("Misérables, Les (1995)");
    }

    @Test
    void csvFileIsOneReadNamedAfterTheFile() {
        Path file = Fixtures.write(dir, "events.csv", lines("who,what,score", "alice,m1,4", "bob,\"m,2\",3"));
        RecordedProgress p = new RecordedProgress();

        RatingsData data = CsvRatingsReader.read(file, ColumnMapping.builder().user("who").item("what")
                .rating("score").build(), BadLinePolicy.FAIL, p);

        assertOneCompleteRead(p, "events.csv", size(file));
        assertThat(p.advances).containsExactly(size(file));
        assertThat(data.interactions().items().rawIds()).containsExactly("m1", "m,2");
    }

    @Test
    void aLargeFileIsReportedInChunksNotLinesAndStillEndsAtItsSize() {
        StringBuilder rows = new StringBuilder();
        for (int k = 0; k < 20_000; k++) {
            rows.append(k % 97).append('\t').append(k % 89).append('\t').append(1 + k % 5).append('\t')
                    .append(881250000 + k).append('\n');
        }
        Path data = Fixtures.write(dir, "u.data", rows.toString(), StandardCharsets.ISO_8859_1);
        RecordedProgress p = new RecordedProgress();

        MovieLensReader.read(dir, BadLinePolicy.FAIL, p);

        long total = size(data);
        assertThat(total).isGreaterThan(4L * ProgressInputStream.CHUNK);
        assertOneCompleteRead(p, dir.getFileName().toString(), total);
        assertThat(p.advances).hasSizeBetween(4, (int) (total / ProgressInputStream.CHUNK) + 1);
        assertThat(p.advances.subList(0, p.advances.size() - 1)).allMatch(a -> a >= ProgressInputStream.CHUNK);
    }

    @Test
    void aReadThatFailsStillEnds() {
        MovieLensFixtures.ml100k(dir);
        Fixtures.write(dir, "u.data", lines("1\t10\t5\t881250949", "1\t20\tfive\t881250950"),
                StandardCharsets.ISO_8859_1);
        RecordedProgress p = new RecordedProgress();

        assertThatThrownBy(() -> MovieLensReader.read(dir, BadLinePolicy.FAIL, p))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("u.data");

        assertThat(p.begins).isEqualTo(1);
        assertThat(p.ends).isEqualTo(1);
        assertThat(p.done()).isLessThanOrEqualTo(p.total);
    }

    @Test
    void aNullListenerIsRejectedNamingTheNoneConstant() {
        MovieLensFixtures.ml100k(dir);

        assertThatThrownBy(() -> MovieLensReader.read(dir, BadLinePolicy.FAIL, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ReadProgress.NONE");
    }

    @Test
    void jdbcCountsRowsAFetchAtATimeWithAnUnknownTotal() throws Exception {
        String url = "jdbc:h2:mem:progress" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url)) {
            RecordedProgress p = new RecordedProgress();

            RatingsData data = JdbcReader.read(connection, "ranges", "SELECT X AS U, MOD(X, 7) AS I"
                    + " FROM SYSTEM_RANGE(1, 25000)", ColumnMapping.builder().user("U").item("I").build(),
                    BadLinePolicy.FAIL, p);

            assertThat(data.interactions().size()).isEqualTo(25_000);
            assertThat(p.what).isEqualTo("ranges");
            assertThat(p.unit).isEqualTo(ReadProgress.Unit.ROWS);
            assertThat(p.total).isEqualTo(-1);
            assertThat(p.advances).containsExactly(10_000L, 10_000L, 5_000L);
            assertThat(p.ends).isEqualTo(1);
        }
    }

    @Test
    void jdbcWithNoRowsBeginsAndEndsWithoutAdvancing() throws Exception {
        String url = "jdbc:h2:mem:progress" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url)) {
            RecordedProgress p = new RecordedProgress();

            JdbcReader.read(connection, "none", "SELECT X AS U, X AS I FROM SYSTEM_RANGE(1, 0)",
                    ColumnMapping.builder().user("U").item("I").build(), BadLinePolicy.FAIL, p);

            assertThat(p.begins).isEqualTo(1);
            assertThat(p.advances).isEmpty();
            assertThat(p.ends).isEqualTo(1);
        }
    }
}
