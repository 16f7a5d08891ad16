package org.embedrec.data.synthetic;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.embedrec.data.Items;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;

/**
 * Writes a {@link SyntheticMovieLens} data set of any size in the MovieLens CSV release format
 * ({@code ratings.csv} userId,movieId,rating,timestamp sorted by user then time, and
 * {@code movies.csv} movieId,title,genres), streamed: only the planted model (factors, biases,
 * clusters, titles) and one block of users' rows are in memory at a time.
 *
 * <p>The planted model, the item table and the rating rule are {@link SyntheticMovieLens}'s for
 * the same {@link SyntheticMovieLens.Config}. What differs, so that any size can be written:
 * the total is exactly {@code interactions} (per-user counts are log-normal as there, then
 * scaled to the total), each user has their own random stream (derived from the seed and the
 * user, so blocks are generated in parallel with the same bytes on any thread count), and with
 * more than {@link #EXACT_CATALOGUE} items the Gumbel top-k draw runs over a uniform random
 * subset of {@code max(EXACT_CATALOGUE, 8 n_u)} candidates instead of the whole catalogue
 * (the planted softmax restricted to the subset: without it ML-25M's shape would cost
 * 162k x 59k exponentials).
 */
public final class SyntheticCsvRelease {
    /** Catalogues up to this size are sampled exactly, over every item. */
    static final int EXACT_CATALOGUE = 4096;
    /** ML-25M's time range: 1995-01-09 to 2019-11-21. */
    static final long START_TIME = 789_652_009L;
    static final long END_TIME = 1_574_327_703L;
    private static final int USERS_PER_BLOCK = 2048;
    private static final byte[] RATINGS_HEADER = "userId,movieId,rating,timestamp\n".getBytes(StandardCharsets.US_ASCII);

    /** What to write: the data set's shape and seed. */
    public record Size(int users, int items, long interactions, long seed) {
        public Size {
            if (users < 1 || items < 1) {
                throw new IllegalArgumentException("users and items must be >= 1, got " + users + " users, " + items
                        + " items");
            }
            if (interactions < users || interactions > (long) users * items) {
                throw new IllegalArgumentException("interactions must be between the number of users (" + users
                        + ": each rates at least one item) and users x items (" + (long) users * items
                        + ": each rates an item at most once), got " + interactions);
            }
        }

        /** The generator settings: {@link SyntheticMovieLens.Config#defaults()} at this size over ML-25M's years. */
        SyntheticMovieLens.Config config() {
            SyntheticMovieLens.Config d = SyntheticMovieLens.Config.defaults();
            int perUser = (int) Math.max(1, Math.min(items, interactions / users));
            return new SyntheticMovieLens.Config(users, items, perUser, d.latentDim(), d.clusters(), d.noise(),
                    d.temperature(), START_TIME, END_TIME, seed);
        }
    }

    private SyntheticCsvRelease() {}

    /**
     * Writes {@code movies.csv} and {@code ratings.csv} into the existing directory {@code dir}
     * ({@code embedrec data generate} gives it a temporary directory that it renames when this
     * returns, with {@code AtomicFiles.createDirectory}, so a data set is never seen half written).
     * {@code rowsWritten} hears of the rating rows as they are written.
     */
    public static void write(Path dir, Size size, LongConsumer rowsWritten) throws IOException {
        SyntheticMovieLens planted = SyntheticMovieLens.plantedOnly(size.config());
        int[] counts = countsPerUser(size, new Rng(size.seed()).split());
        writeMovies(dir.resolve("movies.csv"), planted.data().items().orElseThrow());
        writeRatings(dir.resolve("ratings.csv"), planted, counts, size.seed(), rowsWritten);
    }

    /**
     * Each user's number of ratings: log-normal weights (sigma 0.6, as {@link SyntheticMovieLens}),
     * scaled to {@code size.interactions()} in all, each between 1 and the number of items.
     */
    static int[] countsPerUser(Size size, Rng rng) {
        int users = size.users();
        double[] weight = new double[users];
        double total = 0;
        for (int u = 0; u < users; u++) {
            weight[u] = Math.exp(0.6 * rng.nextGaussian());
            total += weight[u];
        }
        int[] counts = new int[users];
        long sum = 0;
        for (int u = 0; u < users; u++) {
            long n = (long) Math.floor(size.interactions() * weight[u] / total);
            counts[u] = (int) Math.max(1, Math.min(size.items(), n));
            sum += counts[u];
        }
        // Rounding and the bounds leave a small difference: spread it one by one over the users.
        for (int u = 0; sum != size.interactions(); u = (u + 1) % users) {
            if (sum < size.interactions() && counts[u] < size.items()) {
                counts[u]++;
                sum++;
            } else if (sum > size.interactions() && counts[u] > 1) {
                counts[u]--;
                sum--;
            }
        }
        return counts;
    }

    private static void writeMovies(Path file, Items items) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            StringBuilder sb = new StringBuilder("movieId,title,genres\n");
            for (int i = 0; i < items.size(); i++) {
                List<String> genres = items.genres(i);
                sb.append(i + 1).append(',').append(quoted(items.title(i))).append(',')
                        .append(genres.isEmpty() ? "(no genres listed)" : String.join("|", genres)).append('\n');
                if (sb.length() > 1 << 15) {
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    sb.setLength(0);
                }
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A CSV field, quoted as RFC 4180 when it holds a comma, quote or line break. */
    static String quoted(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static void writeRatings(Path file, SyntheticMovieLens planted, int[] counts, long seed,
            LongConsumer rowsWritten) throws IOException {
        int users = counts.length;
        byte[][] lines = new byte[Math.min(USERS_PER_BLOCK, users)][];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(RATINGS_HEADER);
            for (int first = 0; first < users; first += USERS_PER_BLOCK) {
                int block = Math.min(USERS_PER_BLOCK, users - first);
                int base = first;
                // Each user's rows depend only on the seed and the user: the split over threads changes nothing.
                Parallel.forRange(block, 16, (from, to) -> {
                    UserRows rows = new UserRows(planted);
                    for (int k = from; k < to; k++) {
                        lines[k] = rows.generate(base + k, counts[base + k], seed);
                    }
                });
                long rowsInBlock = 0;
                for (int k = 0; k < block; k++) {
                    out.write(lines[k]);
                    lines[k] = null;
                    rowsInBlock += counts[base + k];
                }
                rowsWritten.accept(rowsInBlock);
            }
        }
    }

    /** One user's rows as ratings.csv lines; holds the scratch arrays one thread reuses user after user. */
    private static final class UserRows {
        private final SyntheticMovieLens planted;
        private final SyntheticMovieLens.Config config;
        private final int[] catalogue;
        private final float[] query;
        private final float[] drift;
        private final byte[] digits = new byte[20];

        UserRows(SyntheticMovieLens planted) {
            this.planted = planted;
            this.config = planted.config();
            catalogue = new int[config.items()];
            for (int i = 0; i < catalogue.length; i++) {
                catalogue[i] = i;
            }
            query = new float[config.latentDim()];
            drift = new float[config.latentDim()];
        }

        byte[] generate(int u, int n, long seed) {
            Rng rng = new Rng(new Rng(seed ^ (0x5851F42D4C957F2DL * (u + 1L))).nextLong());
            float[] cu = planted.centroids[planted.userCluster[u]];
            float[] cs = planted.centroids[planted.userSecondCluster[u]];
            float t = planted.trend[u];
            for (int k = 0; k < query.length; k++) {
                query[k] = planted.userFactors[u][k] + 0.5f * t * cs[k];
                drift[k] = cs[k] - cu[k];
            }
            int[] chosen = sample(n, rng);
            return placeInTime(u, chosen, t, rng);
        }

        /** {@code n} distinct items by Gumbel top-k over the catalogue or a random subset of it. */
        private int[] sample(int n, Rng rng) {
            int m = catalogue.length;
            int candidates = m <= EXACT_CATALOGUE ? m : (int) Math.min(m, Math.max(EXACT_CATALOGUE, 8L * n));
            int[] swaps = new int[candidates];
            // A partial Fisher-Yates shuffle draws the subset; undone afterwards, so the next user starts from 0..m-1.
            for (int k = 0; k < candidates && candidates < m; k++) {
                int j = k + rng.nextInt(m - k);
                swaps[k] = j;
                int tmp = catalogue[k];
                catalogue[k] = catalogue[j];
                catalogue[j] = tmp;
            }
            long[] keyed = new long[candidates];
            double invT = 1.0 / config.temperature();
            for (int k = 0; k < candidates; k++) {
                int i = catalogue[k];
                double v;
                do {
                    v = rng.nextDouble();
                } while (v == 0.0);
                double key = SyntheticMovieLens.dot(query, planted.itemFactors[i]) * invT + planted.popularity[i]
                        - Math.log(-Math.log(v));
                keyed[k] = ((long) SyntheticMovieLens.sortable((float) key) << 32) | i;
            }
            for (int k = candidates < m ? candidates - 1 : -1; k >= 0; k--) {
                int j = swaps[k];
                int tmp = catalogue[k];
                catalogue[k] = catalogue[j];
                catalogue[j] = tmp;
            }
            Arrays.sort(keyed);
            int[] chosen = new int[n];
            for (int k = 0; k < n; k++) {
                chosen[k] = (int) keyed[candidates - 1 - k];
            }
            return chosen;
        }

        /** As {@link SyntheticMovieLens}: a time window, items ordered by their drift score, planted ratings. */
        private byte[] placeInTime(int u, int[] chosen, float trend, Rng rng) {
            int n = chosen.length;
            long range = config.endTime() - config.startTime();
            long span = (long) (range * (0.05 + 0.45 * rng.nextDouble()));
            long start = config.startTime() + (long) ((range - span) * rng.nextDouble());
            long[] times = new long[n];
            for (int k = 0; k < n; k++) {
                times[k] = start + (long) (span * rng.nextDouble());
            }
            Arrays.sort(times);
            long[] keyed = new long[n];
            for (int k = 0; k < n; k++) {
                float score = trend * SyntheticMovieLens.dot(drift, planted.itemFactors[chosen[k]])
                        + (float) (0.3 * rng.nextGaussian());
                keyed[k] = ((long) SyntheticMovieLens.sortable(score) << 32) | k;
            }
            Arrays.sort(keyed);
            byte[] out = new byte[n * 48]; // ids of at most 10 digits, a 19-digit time: 10+1+10+1+3+1+19+1 < 48
            int pos = 0;
            for (int k = 0; k < n; k++) {
                int item = chosen[(int) keyed[k]];
                double r = planted.expectedRating(u, item) + config.noise() * rng.nextGaussian();
                int rating = (int) Math.max(1, Math.min(5, Math.round(r)));
                pos = appendDecimal(out, pos, u + 1L);
                out[pos++] = ',';
                pos = appendDecimal(out, pos, item + 1L);
                out[pos++] = ',';
                out[pos++] = (byte) ('0' + rating);
                out[pos++] = '.';
                out[pos++] = '0';
                out[pos++] = ',';
                pos = appendDecimal(out, pos, times[k]);
                out[pos++] = '\n';
            }
            return Arrays.copyOf(out, pos);
        }

        private int appendDecimal(byte[] out, int pos, long value) {
            int len = 0;
            do {
                digits[len++] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
            for (int k = len - 1; k >= 0; k--) {
                out[pos++] = digits[k];
            }
            return pos;
        }
    }
}
