package org.embedrec.models.rating;

import java.util.Map;
import org.embedrec.engine.Rng;

/**
 * Ratings with planted structure, for learning tests: each user and item has a bias and a
 * latent vector, and {@code r = 3.5 + b_u + b_i + p_u . q_i + noise}, clipped to [1, 5]. Users
 * carry an occupation (5 values) that shifts their bias; items carry 1 to 3 of 8 genres
 * (width 3, padded) and users have an affinity per genre that is added to the rating.
 */
public final class PlantedRatings {
    public static final int OCCUPATIONS = 5;
    public static final int GENRES = 8;
    public static final int GENRE_WIDTH = 3;

    public final RatingFeatureSpec spec;
    public final RatingExamples train;
    public final RatingExamples test;

    private PlantedRatings(RatingFeatureSpec spec, RatingExamples train, RatingExamples test) {
        this.spec = spec;
        this.train = train;
        this.test = test;
    }

    /** {@code n} ratings of {@code users x items}, 80% train, 20% test. */
    public static PlantedRatings generate(int users, int items, int n, int rank, double noise, long seed) {
        Rng rng = new Rng(seed);
        double factorScale = Math.sqrt(0.5 / rank);
        double[][] p = gaussian(rng, users, rank, factorScale);
        double[][] q = gaussian(rng, items, rank, Math.sqrt(1.0 / rank) * 1.0);
        int[] occupation = new int[users];
        double[] occupationShift = {-0.3, -0.1, 0.0, 0.1, 0.3};
        double[] bu = new double[users];
        double[][] genreAffinity = gaussian(rng, users, GENRES, 0.3);
        for (int u = 0; u < users; u++) {
            occupation[u] = rng.nextInt(OCCUPATIONS);
            bu[u] = 0.3 * rng.nextGaussian() + occupationShift[occupation[u]];
        }
        double[] bi = new double[items];
        int[][] genres = new int[items][GENRE_WIDTH];
        for (int i = 0; i < items; i++) {
            bi[i] = 0.5 * rng.nextGaussian();
            int count = 1 + rng.nextInt(GENRE_WIDTH);
            for (int j = 0; j < GENRE_WIDTH; j++) {
                genres[i][j] = j < count ? rng.nextInt(GENRES) : RatingFeatureSpec.PAD;
            }
        }
        int[] us = new int[n];
        int[] is = new int[n];
        float[] rs = new float[n];
        int[] occ = new int[n];
        int[] gen = new int[n * GENRE_WIDTH];
        for (int k = 0; k < n; k++) {
            int u = rng.nextInt(users);
            int i = rng.nextInt(items);
            double r = 3.5 + bu[u] + bi[i] + noise * rng.nextGaussian();
            for (int d = 0; d < rank; d++) {
                r += p[u][d] * q[i][d];
            }
            for (int j = 0; j < GENRE_WIDTH; j++) {
                int g = genres[i][j];
                gen[k * GENRE_WIDTH + j] = g;
                if (g != RatingFeatureSpec.PAD) {
                    r += genreAffinity[u][g];
                }
            }
            us[k] = u;
            is[k] = i;
            occ[k] = occupation[u];
            rs[k] = (float) Math.min(5.0, Math.max(1.0, r));
        }
        RatingFeatureSpec spec = RatingFeatureSpec.of(users, items)
                .withCategorical("occupation", OCCUPATIONS)
                .withMultiValued("genres", GENRES, GENRE_WIDTH)
                .withCross(RatingFeatureSpec.USER, "genres", 4096);
        RatingExamples all = new RatingExamples(spec, us, is, rs, Map.of("occupation", occ), Map.of("genres", gen));
        int[] order = rng.permutation(n);
        int cut = n * 4 / 5;
        int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, cut);
        int[] testIdx = java.util.Arrays.copyOfRange(order, cut, n);
        return new PlantedRatings(spec, all.subset(trainIdx), all.subset(testIdx));
    }

    /** The test RMSE of predicting the training mean for everything. */
    public double baselineRmse() {
        double mean = train.meanRating();
        double s = 0;
        for (int i = 0; i < test.size(); i++) {
            double d = test.rating(i) - mean;
            s += d * d;
        }
        return Math.sqrt(s / test.size());
    }

    /** Test RMSE of {@code model}'s predictions, clipped to [1, 5]. */
    public double testRmse(RatingModel model) {
        float[] p = model.predict(test);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double d = Math.min(5f, Math.max(1f, p[i])) - test.rating(i);
            s += d * d;
        }
        return Math.sqrt(s / p.length);
    }

    private static double[][] gaussian(Rng rng, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = scale * rng.nextGaussian();
            }
        }
        return m;
    }
}
