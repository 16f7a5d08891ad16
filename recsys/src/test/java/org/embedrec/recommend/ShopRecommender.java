package org.embedrec.recommend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.Interactions;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;

/**
 * The fixture of the recommender tests: a multitask model (retrieval and a rating head, with a
 * cross of country and device, an integer feature and the time) trained from a spec on the
 * generated shop ({@link SyntheticShop}: country and device together choose the category), with
 * one more item in the item table that no one bought, {@value #NEW_ITEM} of category
 * {@value #NEW_ITEM_CATEGORY}. One seed gives the same recommender.
 */
record ShopRecommender(SyntheticShop.Config config, SpecData data, Split split, FeatureExperiment.Fitted fitted,
                       Recommender recommender) {
    static final String NEW_ITEM = "i-new";
    static final String NEW_ITEM_CATEGORY = "cat2";

    static final String SPEC = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating", "timestamp": "timestamp",
                       "items": {"path": "items.csv", "id": "item_id"},
                       "users": {"path": "users.csv", "id": "user_id"}},
              "features": [
                {"name": "user", "column": "user_id", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "country", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "age_band", "kind": "integer", "tower": "query", "embedding_dim": 4},
                {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "time", "column": "timestamp", "kind": "timestamp", "tower": "query", "embedding_dim": 4,
                 "discretize": {"bins": 8, "method": "equal_width"}},
                {"name": "item", "column": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 8},
                {"name": "category", "kind": "string", "tower": "candidate", "embedding_dim": 8},
                {"name": "price", "kind": "numeric", "tower": "candidate"},
                {"name": "tags", "kind": "list", "separator": "|", "tower": "candidate", "embedding_dim": 8}
              ],
              "crosses": [{"features": ["country", "device"], "buckets": 32, "embedding_dim": 8}],
              "towers": {"query": {"layers": [32, 16]}, "candidate": {"layers": [16]}},
              "tasks": {"retrieval": {"log_q": true, "weight": 1.0},
                        "rating": {"weight": 0.5, "head": {"layers": [16]}}},
              "training": {"optimizer": "adagrad", "lr": 0.1, "batch_size": 256, "epochs": 4}
            }
            """;

    /** Writes the shop into {@code dir} and trains; {@code spec} is a spec in the form of {@link #SPEC}. */
    static ShopRecommender train(Path dir, String spec, SyntheticShop.Config config, long seed) {
        try {
            SyntheticShop.write(dir, config);
            Files.writeString(dir.resolve("items.csv"), NEW_ITEM + "," + NEW_ITEM_CATEGORY + ",35.00,c2|odd\n",
                    StandardOpenOption.APPEND);
            Path specFile = Files.writeString(dir.resolve("spec.json"), spec);
            FeatureSpec featureSpec = FeatureSpec.read(specFile);
            SpecData data = SpecData.read(featureSpec, dir, dir.resolve("interactions.csv"), BadLinePolicy.FAIL,
                    ReadProgress.NONE);
            Interactions all = data.interactions().interactions();
            Split split = Split.random(all, 0.8, seed);
            FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(featureSpec, all, split, data.items(),
                    data.users());
            FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared,
                    FeatureExperiment.Settings.of(featureSpec, seed));
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("split", "random:0.8");
            provenance.put("seed", seed);
            provenance.put("metrics", FeatureExperiment.evaluate(fitted));
            Recommender recommender = Recommender.build(fitted.model(), prepared.encoder(),
                    new TrainingData(all, split.train(), data.items(), data.users()), provenance);
            return new ShopRecommender(config, data, split, fitted, recommender);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The category of a catalogue item, "cat0" ... */
    String category(String itemId) {
        return recommender.catalogue().attribute(recommender.catalogue().row(itemId), "category");
    }

    /** The category a user of {@code country} on {@code device} buys from, planted. */
    String plantedCategory(int country, int device) {
        return "cat" + SyntheticShop.plantedCategory(country, device, config);
    }
}
