package org.embedrec.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.Interactions;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.index.HnswIndex;
import org.embedrec.recommend.IndexSettings;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingData;

/**
 * Writes a saved two-tower model over a generated catalogue of any size (1,000,000 items by
 * default) for the serving benchmark, through the public API only: a generated catalogue and
 * purchase log, a spec model trained on it, {@link Recommender#build} and {@link Recommender#save}.
 *
 * <p>The catalogue plants clusters with the spread trained embeddings have, not near-duplicates:
 * item {@code i} is in cluster {@code i mod clusters}, and its vector is {@code norm * (cos * c +
 * sin * u)}, with {@code c} the cluster's random unit centre, {@code u} a random unit direction
 * orthogonal to it, the cosine to the centre uniform in [0.5, 0.8] (two items of a cluster have a
 * cosine of about 0.42 on average, random pairs about 0) and the norm log-normal,
 * {@code exp(0.3 z)} (0.55 to 1.8 for z within two sigma). The 32 coordinates are the items'
 * numeric features {@code f0..f31}; the candidate tower has no dense layer, so an item's embedding
 * is its vector with each coordinate standardised over the catalogue (the centres average out, so
 * this barely moves them), and every item has its own vector whether or not anyone bought it.
 *
 * <p>Why not trained item embeddings, as before: an item bought once in one epoch barely moves
 * from its initial value, so the cluster embedding decided every vector and each cluster was a
 * bundle of 1,000 vectors at cosine 0.9996, whose exact top 10 hinged on the third digit of their
 * norms. A catalogue of really trained embeddings needs several epochs over several purchases per
 * item: hours at this size on two cores.
 *
 * <p>The log: user {@code u} is in cluster {@code u mod clusters} and buys {@value #PURCHASES}
 * items of it in the training part, each the best by {@code taste . v} of {@value #CHOICES} drawn
 * at random ({@code taste} the user's own direction near the centre), so the users of a cluster
 * differ and prefer long vectors. The query tower (user id, dense 32) is trained on it for
 * {@code --epochs} epochs; the last {@value #HELD_OUT} rows, later in time, are the held-out part.
 * Everything follows from {@code --seed}.
 *
 * <pre>
 * java -Xmx8g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.embedrec.bench.SyntheticCatalogueModel --out /tmp/serve-1m [--items 1000000] [--users 20000] \
 *     [--clusters 1000] [--epochs 3] [--max-conn 16] [--beam-width 50] [--ef-search 150] [--seed 42] \
 *     [--index exact]
 * </pre>
 */
public final class SyntheticCatalogueModel {
    private static final int DIM = 32;
    private static final int HELD_OUT = 100;
    private static final int PURCHASES = 10;
    private static final int CHOICES = 5;
    private static final double MIN_COSINE = 0.5;
    private static final double MAX_COSINE = 0.8;
    private static final double NORM_SIGMA = 0.3;
    /** A user's taste is the centre plus this times a random unit direction (cosine about 0.9 to it). */
    private static final double TASTE_SPREAD = 0.5;

    public static void main(String[] args) throws IOException {
        Path out = null;
        int items = 1_000_000;
        int users = 20_000;
        int clusters = 1_000;
        int epochs = 3;
        HnswIndex.Settings hnsw = HnswIndex.Settings.DEFAULT;
        long seed = 42;
        boolean exact = false;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + ": expected a value after it");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--out" -> out = Path.of(value);
                case "--items" -> items = Integer.parseInt(value);
                case "--users" -> users = Integer.parseInt(value);
                case "--clusters" -> clusters = Integer.parseInt(value);
                case "--epochs" -> epochs = Integer.parseInt(value);
                case "--max-conn" -> hnsw = new HnswIndex.Settings(Integer.parseInt(value), hnsw.beamWidth(),
                        hnsw.efSearch(), hnsw.seed());
                case "--beam-width" -> hnsw = new HnswIndex.Settings(hnsw.maxConn(), Integer.parseInt(value),
                        hnsw.efSearch(), hnsw.seed());
                case "--ef-search" -> hnsw = hnsw.withEfSearch(Integer.parseInt(value));
                case "--seed" -> seed = Long.parseLong(value);
                case "--index" -> exact = switch (value) {
                    case "exact" -> true;
                    case "hnsw" -> false;
                    default -> throw new IllegalArgumentException("--index " + value + ": expected exact or hnsw");
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR: the model directory to write is required");
        }
        if (clusters < 1 || users < clusters || items < clusters) {
            throw new IllegalArgumentException("--clusters " + clusters + ", --users " + users + ", --items " + items
                    + ": expected 1 <= clusters <= users and clusters <= items");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs " + epochs + ": expected at least 1");
        }
        Path data = Files.createTempDirectory("embedrec-synthetic-catalogue");
        long t0 = System.nanoTime();
        writeData(data, items, users, clusters, seed);
        int purchases = users * PURCHASES + HELD_OUT;
        System.out.printf(Locale.ROOT, "generated %,d items, %,d users, %,d purchases in %.1f s (%s)%n", items, users,
                purchases, seconds(t0), data);

        FeatureSpec spec = FeatureSpec.read(Files.writeString(data.resolve("spec.json"), spec(epochs)));
        SpecData rows = SpecData.read(spec, data, data.resolve("purchases.csv"), BadLinePolicy.FAIL, ReadProgress.NONE);
        Interactions all = rows.interactions().interactions();
        Split split = Split.temporal(all, (double) (purchases - HELD_OUT) / all.size());
        long t1 = System.nanoTime();
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, all, split, rows.items(), rows.users());
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, seed));
        System.out.printf(Locale.ROOT, "trained %d epochs in %.1f s%n", epochs, seconds(t1));

        long t2 = System.nanoTime();
        IndexSettings index = exact ? IndexSettings.EXACT : new IndexSettings(IndexSettings.Kind.HNSW, hnsw);
        Recommender recommender = Recommender.build(fitted.model(), prepared.encoder(),
                new TrainingData(all, split.train(), rows.items(), rows.users()),
                Map.of("generator", "SyntheticCatalogueModel 2 (planted spread clusters)", "items", items,
                        "users", users, "clusters", clusters, "epochs", epochs, "seed", seed), index);
        System.out.printf(Locale.ROOT, "embedded the catalogue and built %s in %.1f s%n",
                recommender.indexSettings().describe(), seconds(t2));
        recommender.save(out);
        System.out.printf(Locale.ROOT, "saved to %s (%,d items, %,d users)%n", out, recommender.info().items(),
                recommender.info().users());
    }

    /** Users' ids embedded and a dense layer; items' 32 numeric coordinates as they are. */
    private static String spec(int epochs) {
        StringBuilder features = new StringBuilder(
                "{\"name\": \"user\", \"column\": \"user_id\", \"kind\": \"string\", \"tower\": \"query\", "
                        + "\"embedding_dim\": 32}");
        for (int d = 0; d < DIM; d++) {
            features.append(",\n    {\"name\": \"f").append(d).append("\", \"kind\": \"numeric\", "
                    + "\"tower\": \"candidate\", \"normalize\": true}");
        }
        return """
                {
                  "data": {"user": "user_id", "item": "item_id", "label": "rating", "timestamp": "timestamp",
                           "items": {"path": "items.csv", "id": "item_id"}},
                  "features": [
                    %s
                  ],
                  "towers": {"query": {"layers": [32]}, "candidate": {"layers": []}},
                  "tasks": {"retrieval": {}},
                  "training": {"optimizer": "adagrad", "lr": 0.1, "batch_size": 4096, "epochs": %d}
                }
                """.formatted(features, epochs);
    }

    /**
     * {@code items.csv} (id and the 32 coordinates) and {@code purchases.csv}: every user's
     * purchases in time order, then the held-out rows.
     */
    private static void writeData(Path dir, int items, int users, int clusters, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] centres = new float[clusters * DIM];
        for (int k = 0; k < clusters; k++) {
            unitGaussian(rng, centres, k * DIM);
        }
        float[] vectors = new float[items * DIM];
        float[] u = new float[DIM];
        for (int i = 0; i < items; i++) {
            int c = (i % clusters) * DIM;
            double cos = MIN_COSINE + (MAX_COSINE - MIN_COSINE) * rng.nextDouble();
            double sin = Math.sqrt(1 - cos * cos);
            double norm = Math.exp(NORM_SIGMA * gaussian(rng));
            orthogonalUnit(rng, centres, c, u);
            for (int d = 0; d < DIM; d++) {
                vectors[i * DIM + d] = (float) (norm * (cos * centres[c + d] + sin * u[d]));
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("items.csv"), StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder("item_id");
            for (int d = 0; d < DIM; d++) {
                line.append(",f").append(d);
            }
            w.write(line.append('\n').toString());
            for (int i = 0; i < items; i++) {
                line.setLength(0);
                line.append('i').append(i);
                for (int d = 0; d < DIM; d++) {
                    appendFourDecimals(line.append(','), vectors[i * DIM + d]);
                }
                w.write(line.append('\n').toString());
            }
        }
        int perCluster = (items + clusters - 1) / clusters; // items of cluster k: k, k + clusters, ...
        float[] taste = new float[DIM];
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("purchases.csv"), StandardCharsets.UTF_8)) {
            w.write("user_id,item_id,rating,timestamp\n");
            long time = 1_700_000_000L;
            for (int user = 0; user < users; user++) {
                int k = user % clusters;
                orthogonalUnit(rng, centres, k * DIM, u);
                for (int d = 0; d < DIM; d++) {
                    taste[d] = (float) (centres[k * DIM + d] + TASTE_SPREAD * u[d]);
                }
                for (int p = 0; p < PURCHASES; p++) {
                    int best = -1;
                    double bestScore = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < CHOICES; c++) {
                        int item = clusterItem(rng, k, clusters, perCluster, items);
                        double s = 0;
                        for (int d = 0; d < DIM; d++) {
                            s += taste[d] * vectors[item * DIM + d];
                        }
                        if (s > bestScore) {
                            best = item;
                            bestScore = s;
                        }
                    }
                    w.write("u" + user + ",i" + best + ",1," + time++ + "\n");
                }
            }
            for (int r = 0; r < HELD_OUT; r++) {
                int user = rng.nextInt(users);
                w.write("u" + user + ",i" + clusterItem(rng, user % clusters, clusters, perCluster, items) + ",1,"
                        + time++ + "\n");
            }
        }
    }

    /** {@code v} rounded to 4 decimals, as {@code %.4f} would write it but without its cost at 32 million values. */
    private static void appendFourDecimals(StringBuilder out, float v) {
        long tenThousandths = Math.round(Math.abs((double) v) * 10_000);
        if (v < 0 && tenThousandths != 0) {
            out.append('-');
        }
        long frac = tenThousandths % 10_000;
        out.append(tenThousandths / 10_000).append('.');
        for (long digit = 1_000; digit > frac && digit > 1; digit /= 10) {
            out.append('0');
        }
        out.append(frac);
    }

    /** A random item of cluster {@code k} (items {@code k, k + clusters, ...} below {@code items}). */
    private static int clusterItem(SplittableRandom rng, int k, int clusters, int perCluster, int items) {
        while (true) {
            long item = k + (long) clusters * rng.nextInt(perCluster);
            if (item < items) {
                return (int) item;
            }
        }
    }

    /** A random unit vector written at {@code out[offset ..]}. */
    private static void unitGaussian(SplittableRandom rng, float[] out, int offset) {
        double sq = 0;
        for (int d = 0; d < DIM; d++) {
            double g = gaussian(rng);
            out[offset + d] = (float) g;
            sq += g * g;
        }
        double inv = 1 / Math.sqrt(sq);
        for (int d = 0; d < DIM; d++) {
            out[offset + d] *= (float) inv;
        }
    }

    /** A random unit vector orthogonal to the unit vector {@code c[offset ..]}, into {@code u}. */
    private static void orthogonalUnit(SplittableRandom rng, float[] c, int offset, float[] u) {
        unitGaussian(rng, u, 0);
        double along = 0;
        for (int d = 0; d < DIM; d++) {
            along += u[d] * c[offset + d];
        }
        double sq = 0;
        for (int d = 0; d < DIM; d++) {
            u[d] -= (float) (along * c[offset + d]);
            sq += (double) u[d] * u[d];
        }
        double inv = 1 / Math.sqrt(sq);
        for (int d = 0; d < DIM; d++) {
            u[d] *= (float) inv;
        }
    }

    /** A standard normal draw (Box-Muller, one of the pair), from {@code rng} alone so the data follow the seed. */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble(); // in (0, 1]: the log is finite
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
