package org.embedrec.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * The title classifier on synthetic titles with planted genre words (MovieLens stays out of the
 * tests): both encoders find the genres of held-out titles from words they share with training
 * titles, far above always answering the most frequent genre; and the metrics on hand-computed cases.
 */
class TitleGenresExampleTest {
    private static final List<String> GENRES = List.of("Action", "Comedy", "Horror", "Romance", "Sci-Fi", "Western");
    private static final String[][] CUES = {
            {"fist", "explosion", "mission"}, {"wacky", "party", "oops"}, {"blood", "haunted", "night"},
            {"love", "heart", "kiss"}, {"space", "robot", "galaxy"}, {"cowboy", "sheriff", "saloon"}};

    @Test
    void bothEncodersFindPlantedGenreWordsInHeldOutTitles() {
        TitleGenresExample.Movies movies = plantedTitles(800, 3);
        for (TitleGenresExample.Encoder encoder : TitleGenresExample.Encoder.values()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TitleGenresExample.Result r = TitleGenresExample.run(movies, encoder, 10, 42,
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            System.out.print(bytes.toString(StandardCharsets.UTF_8));
            assertThat(r.topOneAccuracy()).as(encoder.name()).isGreaterThan(0.9);
            assertThat(r.microF1()).as(encoder.name()).isGreaterThan(0.8);
            assertThat(r.meanAuc()).as(encoder.name()).isGreaterThan(0.95);
            // One genre in six, some titles with two: the constant answer is right about a fifth of the time.
            assertThat(r.baselineTopOne()).as(encoder.name()).isLessThan(0.35);
        }
    }

    @Test
    void metricsOnHandComputedCases() {
        // Two rows, three genres. Row 0 is genre 1, row 1 genres 0 and 2.
        float[] truth = {0, 1, 0, 1, 0, 1};
        float[] logits = {-1, 2, 0.5f, 3, -2, -0.5f};
        // Row 0's top is genre 1 (right), row 1's is genre 0 (right).
        assertThat(TitleGenresExample.topOne(logits, truth, 3)).isEqualTo(1.0);
        // Predicted (logit > 0): (0,1) TP, (0,2) FP, (1,0) TP; missed: (1,2). F1 = 4 / (4 + 1 + 1).
        assertThat(TitleGenresExample.microF1(logits, truth, 3)).isCloseTo(4.0 / 6, within(1e-12));
        // Genre 0: positive row 1 (3) above negative row 0 (-1): 1. Genre 1: 2 > -2: 1. Genre 2: 0.5 > -0.5 for the
        // negative row 0 over positive row 1: 0.
        assertThat(TitleGenresExample.meanAuc(logits, truth, 3)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(TitleGenresExample.wordsSeenTwice(new String[] {"The Night", "night of love", "Love, Actually"}))
                .containsExactly("love", "night");
    }

    /**
     * Titles of one or two genres: a cue word of each genre among two or three words from a pool of
     * noise words, in random order.
     */
    private static TitleGenresExample.Movies plantedTitles(int n, long seed) {
        Rng rng = new Rng(seed);
        String[] titles = new String[n];
        int[][] genres = new int[n][];
        for (int i = 0; i < n; i++) {
            int first = rng.nextInt(GENRES.size());
            int second = rng.nextInt(4) == 0 ? (first + 1 + rng.nextInt(GENRES.size() - 1)) % GENRES.size() : -1;
            genres[i] = second < 0 ? new int[] {first} : new int[] {Math.min(first, second), Math.max(first, second)};
            List<String> words = new ArrayList<>();
            for (int g : genres[i]) {
                words.add(CUES[g][rng.nextInt(3)]);
            }
            for (int k = 2 + rng.nextInt(2); k > 0; k--) {
                words.add("w" + rng.nextInt(60));
            }
            for (int k = words.size() - 1; k > 0; k--) {
                int j = rng.nextInt(k + 1);
                String t = words.get(k);
                words.set(k, words.get(j));
                words.set(j, t);
            }
            titles[i] = String.join(" ", words);
        }
        return new TitleGenresExample.Movies(titles, genres, GENRES);
    }
}
