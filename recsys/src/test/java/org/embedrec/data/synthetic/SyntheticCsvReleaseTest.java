package org.embedrec.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.models.rating.RatingExamples;
import org.embedrec.models.rating.RatingFeatureSpec;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.models.rating.RatingTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCsvReleaseTest {
    private static final SyntheticCsvRelease.Size SMALL = new SyntheticCsvRelease.Size(300, 5000, 30_000, 7);

    @TempDir
    Path tmp;

    @Test
    void theMovieLensReaderReadsItBackWithExactlyTheRequestedShape() throws IOException {
        AtomicLong heard = new AtomicLong();
        SyntheticCsvRelease.write(Files.createDirectories(tmp.resolve("out")), SMALL, heard::addAndGet);
        RatingsData data = MovieLensReader.read(tmp.resolve("out"));

        Interactions x = data.interactions();
        assertThat(x.size()).isEqualTo(30_000);
        assertThat(heard.get()).isEqualTo(30_000);
        assertThat(x.numUsers()).isEqualTo(300);
        assertThat(x.numItems()).isEqualTo(5000);
        assertThat(data.items().orElseThrow().title(0)).isEqualTo(
                SyntheticMovieLens.plantedOnly(SMALL.config()).data().items().orElseThrow().title(0));
        for (int row = 1; row < x.size(); row++) {
            // Sorted by user, then by time, as the MovieLens CSV releases are.
            assertThat(x.user(row) > x.user(row - 1)
                    || x.user(row) == x.user(row - 1) && x.timestamp(row) >= x.timestamp(row - 1)).isTrue();
            assertThat(x.rating(row)).isBetween(1f, 5f);
        }
    }

    @Test
    void countsAreExactAndWithinBoundsEvenWhenUsersRateAlmostEverything() {
        SyntheticCsvRelease.Size dense = new SyntheticCsvRelease.Size(50, 10, 480, 3);
        int[] counts = SyntheticCsvRelease.countsPerUser(dense, new Rng(3));
        assertThat(java.util.Arrays.stream(counts).min().getAsInt()).isGreaterThanOrEqualTo(1);
        assertThat(java.util.Arrays.stream(counts).max().getAsInt()).isLessThanOrEqualTo(10);
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(480);
        assertThatThrownBy(() -> new SyntheticCsvRelease.Size(50, 10, 501, 3))
                .hasMessageContaining("users x items (500");
    }

    @Test
    void oneSeedGivesTheSameBytesOnAnyThreadCount() throws IOException {
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            SyntheticCsvRelease.write(Files.createDirectories(tmp.resolve("one")), SMALL, n -> { });
            Parallel.setThreads(3);
            SyntheticCsvRelease.write(Files.createDirectories(tmp.resolve("three")), SMALL, n -> { });
        } finally {
            Parallel.setThreads(threads);
        }
        assertThat(Files.mismatch(tmp.resolve("one/ratings.csv"), tmp.resolve("three/ratings.csv"))).isEqualTo(-1);
        assertThat(Files.mismatch(tmp.resolve("one/movies.csv"), tmp.resolve("three/movies.csv"))).isEqualTo(-1);
    }

    @Test
    void matrixFactorisationLearnsThePlantedRatingsFarAboveTheMean() throws IOException {
        SyntheticCsvRelease.write(Files.createDirectories(tmp.resolve("out")), SMALL, n -> { });
        Interactions x = MovieLensReader.read(tmp.resolve("out")).interactions();
        int[] order = new Rng(5).permutation(x.size());
        int cut = x.size() * 4 / 5;
        RatingFeatureSpec spec = RatingFeatureSpec.of(x.numUsers(), x.numItems());
        RatingExamples train = examples(spec, x, order, 0, cut);
        RatingExamples test = examples(spec, x, order, cut, x.size());
        RatingModelConfig config = RatingModelConfig.defaults("mf").withEpochs(15);
        RatingModel model = RatingModels.create("mf", spec, config, new Rng(1));
        RatingTraining.fit(model, config, train, null);

        double mean = 0;
        for (int k = 0; k < cut; k++) {
            mean += x.rating(order[k]);
        }
        mean /= cut;
        float[] predicted = model.predict(test);
        double squared = 0;
        double baseline = 0;
        for (int k = cut; k < x.size(); k++) {
            double r = x.rating(order[k]);
            squared += Math.pow(predicted[k - cut] - r, 2);
            baseline += Math.pow(mean - r, 2);
        }
        assertThat(Math.sqrt(squared)).as("test RMSE against the training mean's").isLessThan(0.85 * Math.sqrt(baseline));
    }

    private static RatingExamples examples(RatingFeatureSpec spec, Interactions x, int[] order, int from, int to) {
        int n = to - from;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        for (int k = 0; k < n; k++) {
            u[k] = x.user(order[from + k]);
            i[k] = x.item(order[from + k]);
            r[k] = x.rating(order[from + k]);
        }
        return RatingExamples.of(spec, u, i, r);
    }
}
