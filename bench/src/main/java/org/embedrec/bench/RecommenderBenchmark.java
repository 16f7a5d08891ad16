package org.embedrec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.Interactions;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process latency of {@link Recommender}, one query at a time, on a model of MovieLens 100K's
 * size: by default a spec model (towers 64, 32) trained for one epoch on a generated shop of 943
 * users, 1,682 items and 100,000 purchases, exact search; or any saved model directory given as
 * {@code -p modelDir=DIR} (say {@code train --spec two-tower-deep --data ml-100k --save DIR}).
 * Sample time gives the percentiles; {@code -prof gc} the bytes allocated per query.
 *
 * <ul>
 *   <li>{@code knownUser}: a training user's top 10, seen items left out: their stored
 *       embedding, an exact scan of the catalogue, the answer;
 *   <li>{@code newUserFeatures}: a user never seen, from their country and device: one row
 *       through the preprocessing and the query tower, then the same scan;
 *   <li>{@code similarItems}: an item's 10 nearest by cosine.
 * </ul>
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RecommenderBenchmark -prof gc \
 *   -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dembedrec.threads=2"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class RecommenderBenchmark {
    private static final String SPEC = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating", "timestamp": "timestamp",
                       "items": {"path": "items.csv", "id": "item_id"},
                       "users": {"path": "users.csv", "id": "user_id"}},
              "features": [
                {"name": "user", "column": "user_id", "kind": "string", "tower": "query", "embedding_dim": 32},
                {"name": "country", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "item", "column": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 32},
                {"name": "category", "kind": "string", "tower": "candidate", "embedding_dim": 8},
                {"name": "tags", "kind": "list", "separator": "|", "tower": "candidate", "embedding_dim": 8}
              ],
              "crosses": [{"features": ["country", "device"], "buckets": 64, "embedding_dim": 8}],
              "towers": {"query": {"layers": [64, 32]}, "candidate": {"layers": [64, 32]}},
              "tasks": {"retrieval": {"log_q": true}},
              "training": {"optimizer": "adagrad", "lr": 0.1, "batch_size": 2048, "epochs": 1}
            }
            """;

    /** A saved model directory to load instead of training the generated one; empty for that one. */
    @Param({""})
    public String modelDir;

    private Recommender recommender;
    private Query[] known;
    private Query[] features;
    private String[] items;

    @Setup
    public void setUp() throws IOException {
        recommender = modelDir.isEmpty() ? trainShop() : Recommender.load(Path.of(modelDir));
        // A fixed, shuffled-looking walk over the training users (and over items for similar).
        List<String> ids = new ArrayList<>();
        for (int u = 0; u < 943; u++) {
            String id = modelDir.isEmpty() ? SyntheticShop.userId((u * 389) % 943) : Integer.toString(1 + (u * 389) % 943);
            if (recommender.knowsUser(id)) {
                ids.add(id);
            }
        }
        known = new Query[ids.size()];
        for (int i = 0; i < known.length; i++) {
            known[i] = Query.user(ids.get(i)).k(10).excludeSeen(true).build();
        }
        List<String> columns = recommender.info().queryColumns();
        features = new Query[64];
        for (int i = 0; i < features.length; i++) {
            features[i] = columns.contains("country")
                    ? Query.features(Map.of("country", "country" + i % 5, "device", SyntheticShop.DEVICES[i % 2]))
                            .k(10).build()
                    : Query.user("new-user-" + i).k(10).build();
        }
        List<String> catalogue = recommender.catalogue().itemIds();
        items = new String[256];
        for (int i = 0; i < items.length; i++) {
            items[i] = catalogue.get((i * 613) % catalogue.size());
        }
    }

    private static Recommender trainShop() throws IOException {
        Path dir = Files.createTempDirectory("embedrec-bench-shop");
        SyntheticShop.write(dir, new SyntheticShop.Config(943, 1682, 19, 5, 100_000, 0.9, 1));
        FeatureSpec spec = FeatureSpec.read(Files.writeString(dir.resolve("spec.json"), SPEC));
        SpecData data = SpecData.read(spec, dir, dir.resolve("interactions.csv"), BadLinePolicy.FAIL,
                ReadProgress.NONE);
        Interactions all = data.interactions().interactions();
        Split split = Split.random(all, 0.8, 42);
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, all, split, data.items(), data.users());
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 42));
        AttributeTable items = data.items();
        return Recommender.build(fitted.model(), prepared.encoder(),
                new TrainingData(all, split.train(), items, data.users()), Map.of());
    }

    /** Which query a thread asks next. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Iteration)
        public void reset() {
            next = 0;
        }
    }

    @Benchmark
    public Recommendations knownUser(Cursor c) {
        return recommender.recommend(known[c.next++ % known.length]);
    }

    @Benchmark
    public Recommendations newUserFeatures(Cursor c) {
        return recommender.recommend(features[c.next++ % features.length]);
    }

    @Benchmark
    public Recommendations similarItems(Cursor c) {
        return recommender.similar(items[c.next++ % items.length], 10);
    }
}
