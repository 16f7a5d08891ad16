package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelRatingsCsvTest {
    private static final String HEADER = "userId,movieId,rating,timestamp\n";

    @TempDir
    Path tmp;

    /** Random clean rows: ids drawn so that first appearances interleave across chunks. */
    private static String cleanRows(long seed, int rows) {
        Rng rng = new Rng(seed);
        StringBuilder sb = new StringBuilder(HEADER);
        String[] ratings = {"1", "2.0", "3.5", "5.0", "0.5", "4", "2.25", "1e0"};
        for (int k = 0; k < rows; k++) {
            sb.append(1 + rng.nextInt(rows / 3 + 1)).append(',').append(10 * (1 + rng.nextInt(50))).append(',')
                    .append(ratings[rng.nextInt(ratings.length)]).append(',').append(rng.nextInt(2_000_000_000))
                    .append(rng.nextInt(8) == 0 ? "\r\n" : "\n");
        }
        return sb.toString();
    }

    private Optional<ParallelRatingsCsv.Columns> readFast(Path file, IdMapping items, int chunkBytes)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return ParallelRatingsCsv.read(channel, items, ReadProgress.NONE, chunkBytes);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void givesTheLineReadersIndicesAndColumnsOnAnyChunkSizeAndThreadCount(long seed) throws IOException {
        Path file = Files.writeString(tmp.resolve("ratings.csv"), cleanRows(seed, 3000));
        Interactions expected = CsvRatingsReader.read(file, ColumnMapping.movieLensCsv()).interactions();
        int threads = Parallel.threads();
        try {
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                for (int chunk : new int[] {1, 37, 4096, 1 << 22}) {
                    Interactions got = readFast(file, null, chunk).orElseThrow().interactions();
                    String at = t + " threads, chunks of " + chunk + " bytes";
                    assertThat(got.users().rawIds()).as(at).isEqualTo(expected.users().rawIds());
                    assertThat(got.items().rawIds()).as(at).isEqualTo(expected.items().rawIds());
                    assertThat(got.userIds()).as(at).isEqualTo(expected.userIds());
                    assertThat(got.itemIds()).as(at).isEqualTo(expected.itemIds());
                    assertThat(got.ratings()).as(at).isEqualTo(expected.ratings());
                    assertThat(got.timestamps()).as(at).isEqualTo(expected.timestamps());
                }
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void resolvesItemsThroughTheItemTable() throws IOException {
        Path file = Files.writeString(tmp.resolve("ratings.csv"), HEADER + "7,30,4.0,5\n8,10,3.5,6\n7,20,1,7\n");
        IdMapping table = IdMapping.of(java.util.List.of("10", "20", "30", "40"));
        ParallelRatingsCsv.Columns c = readFast(file, table, 8).orElseThrow();
        assertThat(c.items()).isSameAs(table);
        assertThat(c.users().rawIds()).containsExactly("7", "8");
        assertThat(c.userIds()).containsExactly(0, 1, 0);
        assertThat(c.itemIds()).containsExactly(2, 0, 1);
        assertThat(c.ratings()).containsExactly(4f, 3.5f, 1f);
        assertThat(c.timestamps()).containsExactly(5L, 6L, 7L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,10,4.0,5\n2, 10,4.0,6\n", "1,10,4.0,5\n01,10,4.0,6\n", "1,10,4.0,5\n\"2\",10,4.0,6\n",
            "1,10,4.0,5\n2,10,4.0,6", "1,10,4.0,5\n2,10,x,6\n", "1,10,4.0,5\n\n2,10,4.0,6\n", "1,10,4.0,5\n2,99,4.0,6\n",
            "1,10,4.0,5,extra\n", "1,10,4.0,-5\n"})
    void leavesAnyLineOutsideTheCleanFormToTheLineReader(String rows) throws IOException {
        Path file = Files.writeString(tmp.resolve("ratings.csv"), HEADER + rows);
        assertThat(readFast(file, IdMapping.of(java.util.List.of("10", "20")), 5)).isEmpty();
    }

    @Test
    void aBadLineDeepInALargeReleaseIsStillNamedByFileAndLine() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("release"));
        StringBuilder sb = new StringBuilder(cleanRows(4, 20_000));
        sb.append("5,10,four,12\n");
        Files.writeString(dir.resolve("ratings.csv"), sb);
        assertThatThrownBy(() -> MovieLensReader.read(dir)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("ratings.csv").hasMessageContaining("line 20002");
        RatingsData skipped = MovieLensReader.read(dir, BadLinePolicy.SKIP);
        assertThat(skipped.interactions().size()).isEqualTo(20_000);
        assertThat(skipped.skippedLines()).isEqualTo(1);
    }

    @Test
    void progressAddsUpToTheFileOnTheFastPathAndAfterAFallback() throws IOException {
        Path clean = Files.createDirectories(tmp.resolve("clean"));
        Files.writeString(clean.resolve("ratings.csv"), cleanRows(5, 50_000));
        RecordedProgress fast = new RecordedProgress();
        MovieLensReader.read(clean, BadLinePolicy.FAIL, fast);
        assertThat(fast.done()).isEqualTo(Files.size(clean.resolve("ratings.csv"))).isEqualTo(fast.total);

        Path dirty = Files.createDirectories(tmp.resolve("dirty"));
        Files.writeString(dirty.resolve("ratings.csv"), cleanRows(5, 50_000) + " 5,10,4,12\n");
        RecordedProgress slow = new RecordedProgress();
        MovieLensReader.read(dirty, BadLinePolicy.FAIL, slow);
        assertThat(slow.done()).isEqualTo(Files.size(dirty.resolve("ratings.csv"))).isEqualTo(slow.total);
    }

    @Test
    void theMapInternsManyConsecutiveAndSparseIds() {
        LongIntMap map = new LongIntMap(2);
        for (int k = 0; k < 100_000; k++) {
            assertThat(map.putIfAbsent(k % 2 == 0 ? k : (long) k << 33, k)).isEqualTo(k);
        }
        assertThat(map.size()).isEqualTo(100_000);
        assertThat(map.putIfAbsent(4, 7)).isEqualTo(4);
        assertThat(map.get(3L << 33)).isEqualTo(3);
        assertThat(map.get(5)).isEqualTo(-1);
    }
}
