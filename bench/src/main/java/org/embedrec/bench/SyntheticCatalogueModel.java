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
 * default) for the serving benchmark, through the public API only: a generated purchase log,
 * a spec model trained on it for one epoch, {@link Recommender#build} and {@link Recommender#save}.
 *
 * <p>The log plants clusters: item {@code i} is in cluster {@code i mod clusters}, user {@code u}
 * buys in cluster {@code u mod clusters}. Each item is bought exactly once in the training part
 * (the first {@code items} rows in time), because a candidate feature's vocabulary is adapted on
 * the items of the training rows and every other item would share the out-of-vocabulary
 * embedding: a catalogue of identical vectors would make recall against exact search meaningless.
 * The last {@value #HELD_OUT} rows, later in time, are the held-out part: few, because the
 * epoch's validation ranks the whole catalogue for each of them.
 *
 * <pre>
 * java -Xmx6g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.embedrec.bench.SyntheticCatalogueModel --out /tmp/serve-1m [--items 1000000] [--users 20000] \
 *     [--clusters 1000] [--max-conn 16] [--beam-width 50] [--ef-search 150] [--seed 42]
 * </pre>
 */
public final class SyntheticCatalogueModel {
    private static final int HELD_OUT = 100;
    /** Training row r buys item {@code r * STRIDE mod items}: every item once when the two are coprime. */
    private static final long STRIDE = 7_919;
    private static final String SPEC = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating", "timestamp": "timestamp",
                       "items": {"path": "items.csv", "id": "item_id"}},
              "features": [
                {"name": "user", "column": "user_id", "kind": "string", "tower": "query", "embedding_dim": 32},
                {"name": "item", "column": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 32},
                {"name": "cluster", "kind": "string", "tower": "candidate", "embedding_dim": 16}
              ],
              "towers": {"query": {"layers": [32]}, "candidate": {"layers": [32]}},
              "tasks": {"retrieval": {}},
              "training": {"optimizer": "adagrad", "lr": 0.1, "batch_size": 4096, "epochs": 1}
            }
            """;

    public static void main(String[] args) throws IOException {
        Path out = null;
        int items = 1_000_000;
        int users = 20_000;
        int clusters = 1_000;
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
            throw new IllegalArgumentException("expected 1 <= --clusters <= --users and --clusters <= --items");
        }
        if (java.math.BigInteger.valueOf(items).gcd(java.math.BigInteger.valueOf(STRIDE)).intValue() != 1) {
            throw new IllegalArgumentException("--items " + items + ": a multiple of " + STRIDE + " is not supported");
        }
        Path data = Files.createTempDirectory("embedrec-synthetic-catalogue");
        long t0 = System.nanoTime();
        writeData(data, items, users, clusters, seed);
        System.out.printf(Locale.ROOT, "generated %,d items, %,d users, %,d purchases in %.1f s (%s)%n", items, users,
                items + HELD_OUT, seconds(t0), data);

        FeatureSpec spec = FeatureSpec.read(Files.writeString(data.resolve("spec.json"), SPEC));
        SpecData rows = SpecData.read(spec, data, data.resolve("purchases.csv"), BadLinePolicy.FAIL, ReadProgress.NONE);
        Interactions all = rows.interactions().interactions();
        Split split = Split.temporal(all, (double) items / all.size());
        long t1 = System.nanoTime();
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, all, split, rows.items(), rows.users());
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, seed));
        System.out.printf(Locale.ROOT, "trained one epoch in %.1f s%n", seconds(t1));

        long t2 = System.nanoTime();
        IndexSettings index = exact ? IndexSettings.EXACT : new IndexSettings(IndexSettings.Kind.HNSW, hnsw);
        Recommender recommender = Recommender.build(fitted.model(), prepared.encoder(),
                new TrainingData(all, split.train(), rows.items(), rows.users()),
                Map.of("generator", "SyntheticCatalogueModel", "items", items, "users", users, "clusters", clusters,
                        "seed", seed), index);
        System.out.printf(Locale.ROOT, "embedded the catalogue and built %s in %.1f s%n",
                recommender.indexSettings().describe(), seconds(t2));
        recommender.save(out);
        System.out.printf(Locale.ROOT, "saved to %s (%,d items, %,d users)%n", out, recommender.info().items(),
                recommender.info().users());
    }

    /** {@code items.csv} (id, cluster) and {@code purchases.csv}: each item once, in time order, then the held-out rows. */
    private static void writeData(Path dir, int items, int users, int clusters, long seed) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("items.csv"), StandardCharsets.UTF_8)) {
            w.write("item_id,cluster\n");
            for (int i = 0; i < items; i++) {
                w.write("i" + i + ",k" + i % clusters + "\n");
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int usersPerCluster = users / clusters;
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("purchases.csv"), StandardCharsets.UTF_8)) {
            w.write("user_id,item_id,rating,timestamp\n");
            long time = 1_700_000_000L;
            for (int r = 0; r < items + HELD_OUT; r++) {
                // Training rows go through the catalogue in a shuffled-looking order, held-out rows
                // draw items at random; the buyer is always of the item's cluster.
                int item = r < items ? (int) (r * STRIDE % items) : rng.nextInt(items);
                int user = item % clusters + clusters * rng.nextInt(usersPerCluster);
                w.write("u" + user + ",i" + item + ",1," + time++ + "\n");
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
