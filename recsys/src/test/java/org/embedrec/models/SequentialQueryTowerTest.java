package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.embedrec.data.ColumnMapping;
import org.embedrec.data.CsvRatingsReader;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.engine.Rng;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureSpec;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequential query tower ({@code "pooling": "gru"} on a list feature) of a retrieval model,
 * as in TensorFlow Recommenders' sequential retrieval tutorial, on planted data where only the
 * order of the history tells the next item: each row's history is two distinct items
 * {@code a|b} and its item is {@code b + 1} (mod 20). Averaging the history's embeddings sees the
 * set {a, b}, so it cannot tell {@code a + 1} from {@code b + 1} (top-1 at most about one half); a
 * GRU, or causal self-attention with positions, reading it in order can.
 */
class SequentialQueryTowerTest {
    static final int ITEMS = 20;

    @TempDir
    static Path dir;
    static Interactions all;
    static Split split;

    static final String SPEC = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating", "timestamp": "timestamp"},
              "features": [
                {"name": "history", "kind": "list", "separator": "|", "tower": "query", "embedding_dim": 16,
                 "max_length": 2, "pooling": "POOLING"},
                {"name": "item", "column": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 16}
              ],
              "towers": {"query": {"layers": [16]}, "candidate": {"layers": []}},
              "tasks": {"retrieval": {}},
              "training": {"optimizer": "adam", "lr": 0.02, "batch_size": 64, "epochs": 25}
            }
            """;

    @BeforeAll
    static void plant() throws IOException {
        Rng rng = new Rng(11);
        StringBuilder csv = new StringBuilder("user_id,item_id,rating,timestamp,history\n");
        for (int r = 0; r < 3000; r++) {
            int a = rng.nextInt(ITEMS);
            int b = (a + 1 + rng.nextInt(ITEMS - 1)) % ITEMS;
            csv.append("u").append(r % 300).append(",i").append((b + 1) % ITEMS).append(",1,").append(r)
                    .append(",i").append(a).append("|i").append(b).append('\n');
        }
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, csv);
        ColumnMapping mapping = ColumnMapping.builder().user("user_id").item("item_id").rating("rating")
                .timestamp("timestamp").header(true).delimiter(',').keepExtraColumns(true).build();
        all = CsvRatingsReader.read(file, mapping).interactions();
        split = Split.random(all, 0.8, 3);
    }

    private static FeatureExperiment.Fitted fit(String pooling) throws IOException {
        Path specFile = dir.resolve(pooling + ".json");
        Files.writeString(specFile, SPEC.replace("POOLING", pooling));
        FeatureSpec spec = FeatureSpec.read(specFile);
        FeatureExperiment.Prepared data = FeatureExperiment.prepare(spec, all, split, null, null);
        return FeatureExperiment.fit(data, FeatureExperiment.Settings.of(spec, 5));
    }

    private static double top1(FeatureExperiment.Fitted fitted) {
        return FeatureExperiment.report(fitted).metrics().get("top_1_accuracy");
    }

    @Test
    void aGruOrAttentionOverTheHistoryLearnsWhatItsMeanCannotAndIsSavedAndServed() throws IOException {
        FeatureExperiment.Fitted gru = fit("gru");
        assertThat(top1(fit("mean"))).as("mean pooling, top-1").isLessThan(0.6);
        assertThat(top1(gru)).as("gru pooling, top-1").isGreaterThan(0.9);
        assertThat(top1(fit("attention"))).as("attention pooling, top-1").isGreaterThan(0.9);

        // Saved with its GRU and served: a history given as the feature's raw value, oldest first.
        Recommender built = Recommender.build(gru.model(), gru.data().encoder(),
                new TrainingData(all, split.train(), null, null), Map.of());
        built.save(dir.resolve("saved"));
        Recommender loaded = Recommender.load(dir.resolve("saved"));
        for (String[] c : new String[][] {{"i3|i7", "i8"}, {"i7|i3", "i4"}, {"i19|i0", "i1"}}) {
            Query q = Query.features(Map.of("history", c[0])).k(1).build();
            assertThat(loaded.recommend(q).items().get(0).itemId()).as(c[0]).isEqualTo(c[1]);
            assertThat(loaded.recommend(q).items()).isEqualTo(built.recommend(q).items());
        }
    }

    @Test
    void gruPoolingOfAFeatureThatIsNoBagIsRefusedByName() throws IOException {
        Path specFile = dir.resolve("bad.json");
        Files.writeString(specFile, SPEC.replace("\"kind\": \"list\", \"separator\": \"|\"", "\"kind\": \"string\"")
                .replace("POOLING", "gru"));
        assertThatThrownBy(() -> FeatureSpec.read(specFile)).hasMessageContaining("features[0] ('history').pooling")
                .hasMessageContaining("\"gru\" reads the entries of a text or list feature in order");
        Files.writeString(specFile, SPEC.replace("POOLING", "last"));
        assertThatThrownBy(() -> FeatureSpec.read(specFile))
                .hasMessageContaining("expected \"mean\", \"sum\", \"gru\" or \"attention\"; got 'last'");
    }
}
