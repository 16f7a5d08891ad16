package org.embedrec.data.synthetic;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Users;
import org.embedrec.data.movielens.MovieLens100k;
import org.embedrec.engine.Rng;

/**
 * A MovieLens-shaped data set with planted structure, for running and testing everything
 * offline. One seed gives the same data on every machine. The structure, all of it recoverable
 * from the data:
 *
 * <ul>
 *   <li><b>Clusters.</b> {@code clusters} centroids {@code c_k} in {@code latentDim} dimensions,
 *       components N(0, 1/d) so {@code |c_k|} is about 1 and distinct centroids are nearly
 *       orthogonal. Each item belongs to one cluster, each user has a primary and a different
 *       secondary cluster. Factors are the centroid plus N(0, 0.25/d) noise per component.
 *   <li><b>Ratings.</b> {@code clamp(round(mu + b_u + b_i + dot(u, v) + noise * N(0,1)), 1, 5)},
 *       with {@code mu = 2.7}, user biases N(0, 0.3^2), item biases N(0, 0.4^2).
 *   <li><b>Which items.</b> User {@code u} rates {@code n_u} distinct items (log-normal around
 *       {@code interactionsPerUser}, at least {@code min(20, interactionsPerUser)}), drawn without
 *       replacement with probability proportional to
 *       {@code exp(dot(u + 0.5 trend_u c_secondary, v) / temperature + pop_i)}, where
 *       {@code pop_i ~ N(0, 0.5^2)} is item popularity (Gumbel top-k sampling).
 *   <li><b>Time.</b> Each user is active in a window inside {@code [startTime, endTime)}; their
 *       interactions are ordered by {@code trend_u * dot(v, c_secondary - c_primary)} plus noise, so
 *       users with a strong trend ({@code trend_u ~ U(0, 1)}) drift towards their secondary
 *       cluster over time.
 *   <li><b>Titles.</b> Invented words; with probability 0.8 one word is among six words of the
 *       item's cluster, the rest from 40 common words; then a year, "(1995)", skewed recent.
 *   <li><b>Genres.</b> The MovieLens 100K genre list; each cluster has two genres, an item gets
 *       the first with probability 0.85, the second with 0.5, and a random other with 0.2.
 *   <li><b>Users.</b> Age around a cluster-specific mean, gender with a cluster-specific
 *       probability, the cluster's occupation with probability 0.5, and a zip code whose first
 *       digit is {@code cluster % 10} with probability 0.6.
 * </ul>
 */
public final class SyntheticMovieLens {
    static final float GLOBAL_MEAN = 2.7f;
    static final List<String> OCCUPATIONS = List.of("administrator", "artist", "doctor", "educator", "engineer",
            "entertainment", "executive", "healthcare", "homemaker", "lawyer", "librarian", "marketing", "none",
            "other", "programmer", "retired", "salesman", "scientist", "student", "technician", "writer");

    /** Generator settings; defaults shaped like MovieLens 100K. */
    public record Config(int users, int items, int interactionsPerUser, int latentDim, int clusters, double noise,
            double temperature, long startTime, long endTime, long seed) {
        public Config {
            positive(users, "users");
            positive(items, "items");
            positive(interactionsPerUser, "interactionsPerUser");
            positive(latentDim, "latentDim");
            positive(clusters, "clusters");
            if (clusters < 2) {
                throw new IllegalArgumentException("clusters must be >= 2 (users need a second cluster), got " + clusters);
            }
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
            }
            if (!(temperature > 0) || !Double.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
            }
            if (endTime - startTime < 86_400) {
                throw new IllegalArgumentException("the time range must span at least a day, got [" + startTime + ", "
                        + endTime + ")");
            }
        }

        /** 943 users, 1682 items, about 100k interactions, 16 dimensions, 8 clusters, Sept 1997 - Apr 1998. */
        public static Config defaults() {
            return new Config(943, 1682, 106, 16, 8, 0.5, 0.3, 874_724_710L, 893_286_638L, 42L);
        }

        public Config withSize(int users, int items, int interactionsPerUser) {
            return new Config(users, items, interactionsPerUser, latentDim, clusters, noise, temperature, startTime,
                    endTime, seed);
        }

        public Config withLatent(int latentDim, int clusters) {
            return new Config(users, items, interactionsPerUser, latentDim, clusters, noise, temperature, startTime,
                    endTime, seed);
        }

        public Config withNoise(double noise, double temperature) {
            return new Config(users, items, interactionsPerUser, latentDim, clusters, noise, temperature, startTime,
                    endTime, seed);
        }

        public Config withSeed(long seed) {
            return new Config(users, items, interactionsPerUser, latentDim, clusters, noise, temperature, startTime,
                    endTime, seed);
        }

        private static void positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, got " + v);
            }
        }
    }

    private final Config config;
    private final RatingsData data;
    final float[][] userFactors;
    final float[][] itemFactors;
    private final float[] userBias;
    private final float[] itemBias;
    final int[] userCluster;
    final int[] userSecondCluster;
    private final int[] itemCluster;
    final float[][] centroids;
    final float[] trend;
    final float[] popularity;
    private final SyntheticTitles titles;

    /**
     * The planted model and side tables; with {@code rate} also the ratings (without, the data
     * has no rows: {@link SyntheticCsvRelease} streams its own).
     */
    private SyntheticMovieLens(Config c, boolean rate) {
        this.config = c;
        Rng root = new Rng(c.seed());
        // One stream per concern, split in a fixed order, so each part is reproducible on its own.
        Rng factorRng = root.split();
        Rng sampleRng = root.split();
        Rng timeRng = root.split();
        Rng ratingRng = root.split();
        Rng itemMetaRng = root.split();
        Rng userMetaRng = root.split();
        int d = c.latentDim();
        centroids = new float[c.clusters()][d];
        for (float[] row : centroids) {
            fillGaussian(row, factorRng, 1.0 / Math.sqrt(d));
        }
        userCluster = new int[c.users()];
        userSecondCluster = new int[c.users()];
        userFactors = new float[c.users()][];
        userBias = new float[c.users()];
        trend = new float[c.users()];
        for (int u = 0; u < c.users(); u++) {
            userCluster[u] = factorRng.nextInt(c.clusters());
            userSecondCluster[u] = (userCluster[u] + 1 + factorRng.nextInt(c.clusters() - 1)) % c.clusters();
            userFactors[u] = near(centroids[userCluster[u]], factorRng);
            userBias[u] = (float) (0.3 * factorRng.nextGaussian());
            trend[u] = factorRng.nextFloat();
        }
        itemCluster = new int[c.items()];
        itemFactors = new float[c.items()][];
        itemBias = new float[c.items()];
        popularity = new float[c.items()];
        for (int i = 0; i < c.items(); i++) {
            itemCluster[i] = factorRng.nextInt(c.clusters());
            itemFactors[i] = near(centroids[itemCluster[i]], factorRng);
            itemBias[i] = (float) (0.4 * factorRng.nextGaussian());
            popularity[i] = (float) (0.5 * factorRng.nextGaussian());
        }
        titles = new SyntheticTitles(c.clusters(), itemMetaRng.split());
        Items items = makeItems(itemMetaRng);
        Users users = makeUsers(userMetaRng);

        Interactions.Builder rows = Interactions.builder();
        float[] query = new float[d];
        float[] drift = new float[d];
        for (int u = 0; rate && u < c.users(); u++) {
            float[] cu = centroids[userCluster[u]];
            float[] cs = centroids[userSecondCluster[u]];
            for (int k = 0; k < d; k++) {
                query[k] = userFactors[u][k] + 0.5f * trend[u] * cs[k];
                drift[k] = cs[k] - cu[k];
            }
            int n = interactionCount(sampleRng);
            int[] chosen = sampleItems(query, popularity, n, sampleRng);
            placeInTime(u, chosen, drift, trend[u], timeRng, ratingRng, rows);
        }
        IdMapping userIds = numbered(c.users());
        IdMapping itemIds = numbered(c.items());
        String name = "synthetic-movielens(seed=" + c.seed() + ")";
        data = new RatingsData(name, rows.build(userIds, itemIds), items, users, null, 0, List.of());
    }

    /** Generates the data set for {@code config}. */
    public static SyntheticMovieLens generate(Config config) {
        return new SyntheticMovieLens(config, true);
    }

    /** The planted model and side tables of {@code config} without ratings (the same as {@link #generate}'s). */
    static SyntheticMovieLens plantedOnly(Config config) {
        return new SyntheticMovieLens(config, false);
    }

    public Config config() {
        return config;
    }

    public RatingsData data() {
        return data;
    }

    /** The planted affinity {@code dot(u, v)} of a dense user and item. */
    public float affinity(int user, int item) {
        return dot(userFactors[user], itemFactors[item]);
    }

    /** The planted rating before noise, rounding and clamping. */
    public float expectedRating(int user, int item) {
        return GLOBAL_MEAN + userBias[user] + itemBias[item] + affinity(user, item);
    }

    public int userCluster(int user) {
        return userCluster[user];
    }

    /** The cluster a user drifts towards over time. */
    public int userSecondaryCluster(int user) {
        return userSecondCluster[user];
    }

    public int itemCluster(int item) {
        return itemCluster[item];
    }

    /** The title words tied to a cluster. */
    public List<String> clusterWords(int cluster) {
        return titles.clusterWords(cluster);
    }

    private int interactionCount(Rng rng) {
        int mean = config.interactionsPerUser();
        // Log-normal with sigma 0.6, divided by its mean exp(0.18) so the average stays near `mean`.
        int n = (int) Math.round(mean * Math.exp(0.6 * rng.nextGaussian() - 0.18));
        return Math.min(config.items(), Math.max(Math.min(20, mean), n));
    }

    /** {@code n} distinct items by Gumbel top-k: exact sampling without replacement from the softmax. */
    private int[] sampleItems(float[] query, float[] popularity, int n, Rng rng) {
        int m = config.items();
        long[] keyed = new long[m];
        double invT = 1.0 / config.temperature();
        for (int i = 0; i < m; i++) {
            double u;
            do {
                u = rng.nextDouble();
            } while (u == 0.0);
            double key = dot(query, itemFactors[i]) * invT + popularity[i] - Math.log(-Math.log(u));
            keyed[i] = ((long) sortable((float) key) << 32) | i;
        }
        Arrays.sort(keyed);
        int[] chosen = new int[n];
        for (int k = 0; k < n; k++) {
            chosen[k] = (int) keyed[m - 1 - k];
        }
        return chosen;
    }

    /** Orders a user's items by their drift score and gives them timestamps and ratings. */
    private void placeInTime(int u, int[] chosen, float[] drift, float trend, Rng timeRng, Rng ratingRng,
            Interactions.Builder rows) {
        int n = chosen.length;
        long range = config.endTime() - config.startTime();
        long span = (long) (range * (0.05 + 0.45 * timeRng.nextDouble()));
        long start = config.startTime() + (long) ((range - span) * timeRng.nextDouble());
        long[] times = new long[n];
        for (int k = 0; k < n; k++) {
            times[k] = start + (long) (span * timeRng.nextDouble());
        }
        Arrays.sort(times);
        long[] keyed = new long[n];
        for (int k = 0; k < n; k++) {
            float score = trend * dot(drift, itemFactors[chosen[k]]) + (float) (0.3 * timeRng.nextGaussian());
            keyed[k] = ((long) sortable(score) << 32) | k;
        }
        Arrays.sort(keyed);
        for (int k = 0; k < n; k++) {
            int item = chosen[(int) keyed[k]];
            double r = expectedRating(u, item) + config.noise() * ratingRng.nextGaussian();
            float rating = (float) Math.max(1, Math.min(5, Math.round(r)));
            rows.add(u, item, rating, times[k]);
        }
    }

    private Items makeItems(Rng rng) {
        List<String> genres = MovieLens100k.STANDARD_GENRES;
        int real = genres.size() - 1; // genre 0 is "unknown", not planted
        Items.Builder b = Items.builder(genres);
        for (int i = 0; i < config.items(); i++) {
            int k = itemCluster[i];
            int g1 = 1 + (2 * k) % real;
            int g2 = 1 + (2 * k + 1) % real;
            List<Integer> g = new ArrayList<>(3);
            if (rng.nextDouble() < 0.85) {
                g.add(g1);
            }
            if (rng.nextDouble() < 0.5 && g2 != g1) {
                g.add(g2);
            }
            if (rng.nextDouble() < 0.2 || g.isEmpty()) {
                int other = 1 + rng.nextInt(real);
                if (!g.contains(other)) {
                    g.add(other);
                }
            }
            int year = Math.max(1922, 1998 - (int) Math.abs(12 * rng.nextGaussian()));
            LocalDate release = LocalDate.of(year, 1 + rng.nextInt(12), 1 + rng.nextInt(28));
            b.add(titles.title(k, year, rng), release, g.stream().mapToInt(Integer::intValue).toArray());
        }
        return b.build();
    }

    private Users makeUsers(Rng rng) {
        Users.Builder b = Users.builder();
        int clusters = config.clusters();
        for (int u = 0; u < config.users(); u++) {
            int k = userCluster[u];
            double meanAge = 18 + 37.0 * k / Math.max(1, clusters - 1);
            int age = (int) Math.max(7, Math.min(73, Math.round(meanAge + 6 * rng.nextGaussian())));
            double male = k % 2 == 0 ? 0.8 : 0.4;
            String gender = rng.nextDouble() < male ? "M" : "F";
            String occupation = rng.nextDouble() < 0.5 ? OCCUPATIONS.get((k * 5) % OCCUPATIONS.size())
                    : OCCUPATIONS.get(rng.nextInt(OCCUPATIONS.size()));
            int first = rng.nextDouble() < 0.6 ? k % 10 : rng.nextInt(10);
            String zip = first + String.format("%04d", rng.nextInt(10_000));
            b.add(age, gender, occupation, zip);
        }
        return b.build();
    }

    private float[] near(float[] centroid, Rng rng) {
        float[] v = new float[centroid.length];
        fillGaussian(v, rng, 0.5 / Math.sqrt(centroid.length));
        for (int k = 0; k < v.length; k++) {
            v[k] += centroid[k];
        }
        return v;
    }

    private static void fillGaussian(float[] v, Rng rng, double std) {
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (std * rng.nextGaussian());
        }
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** Float bits as an int whose signed order is the float order (for packing sort keys). */
    static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    private static IdMapping numbered(int n) {
        IdMapping.Builder b = new IdMapping.Builder();
        for (int k = 1; k <= n; k++) {
            b.add(Integer.toString(k));
        }
        return b.build();
    }
}
