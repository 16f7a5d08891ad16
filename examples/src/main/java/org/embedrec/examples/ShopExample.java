package org.embedrec.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingData;

/**
 * Bring your own features, end to end on embedrec's public API: a shop's CSV files (users with
 * a country and an age band, items with a category, a price and tags, purchases with the device
 * they were made on), a feature spec naming them, a multitask model (retrieval and rating)
 * trained on them, its held-out metrics, the model saved with everything answering needs and
 * loaded back as a {@link Recommender}, and the top items for a customer the model has never
 * seen, from her country and device alone.
 *
 * <p>Run it with {@code java -cp ... org.embedrec.examples.ShopExample [DIR]}; it writes the
 * generated files and the model into {@code DIR} (a temporary directory by default).
 */
public final class ShopExample {
    private ShopExample() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("embedrec-shop");
        run(dir, System.out);
    }

    /** Runs the example in {@code dir}, printing to {@code out}; returns the held-out metrics. */
    public static Map<String, Double> run(Path dir, PrintStream out) throws IOException {
        // 1. Data: three CSV files, as a team would export them.
        SyntheticShop.write(dir, SyntheticShop.Config.small(7));
        Path specFile = dir.resolve("shop-spec.json");
        try (InputStream spec = ShopExample.class.getResourceAsStream("shop-spec.json")) {
            Files.copy(spec, specFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        // 2. The spec says which column is what and how the model is built; read both.
        FeatureSpec spec = FeatureSpec.read(specFile);
        SpecData data = SpecData.read(spec, dir, dir.resolve("interactions.csv"), BadLinePolicy.FAIL,
                ReadProgress.NONE);
        Split split = Split.random(data.interactions().interactions(), 0.8, 42);

        // 3. Prepare (preprocessing adapted on the training rows only), fit, report.
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, data.interactions().interactions(),
                split, data.items(), data.users());
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 42));
        FeatureExperiment.Report report = FeatureExperiment.report(fitted);
        out.printf(Locale.ROOT, "%s: %d training rows, %d held out, %d items%n",
                fitted.model().getClass().getSimpleName(), prepared.train().size(), prepared.test().size(),
                prepared.catalogueIds().size());
        out.printf(Locale.ROOT, "held out: top-10 accuracy %.3f, NDCG@10 %.3f, MRR %.3f, rating RMSE %.3f%n",
                report.metrics().get("top_10_accuracy"), report.metrics().get("ndcg_at_10"),
                report.metrics().get("mrr"), report.metrics().get("rmse"));

        // 4. A recommender of the trained model: what each customer bought, the items' attributes and
        //    popularity, the catalogue's embeddings. Save it, load it back as a service would, and
        //    recommend for someone new: her features go through the same preprocessing (her id
        //    falls in the out-of-vocabulary bucket).
        Path modelDir = dir.resolve("model");
        Recommender.build(fitted.model(), prepared.encoder(), new TrainingData(data.interactions().interactions(),
                split.train(), data.items(), data.users()), report.provenance()).save(modelDir);
        Recommender recommender = Recommender.load(modelDir);
        Recommendations top = recommender.recommend(Query.user("new-customer")
                .feature("country", "country1").feature("age_band", "28").feature("device", "tv")
                .at(1_700_003_600L).k(5).build());
        out.print("top 5 for a new customer from country1 on a tv:");
        for (RecommendedItem item : top.items()) {
            out.print(" " + item.itemId());
        }
        out.println();
        return report.metrics();
    }
}
