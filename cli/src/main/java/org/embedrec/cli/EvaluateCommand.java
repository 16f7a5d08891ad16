package org.embedrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.FeatureModelFiles;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.models.rating.RatingExamples;
import org.embedrec.models.rating.RatingFeatures;
import org.embedrec.models.rating.RatingTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code embedrec evaluate}: test metrics of a saved model on a data split: RMSE and MAE for a
 * rating model, factorized top-K accuracies for a two-tower model ({@link EvaluateTwoTower}),
 * a spec model's metrics ({@link EvaluateSpec}), which is also what {@code train --model
 * mf|dot-mlp|ncf-mlp|wide-deep} saves, and a next-item model's leave-last-out metrics
 * ({@link EvaluateSequential}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on the test part of a data split.")
final class EvaluateCommand implements Callable<Integer> {
    /** The {@code format} of a saved two-tower model's {@code model.json} (see {@link TwoTowerModelFiles}). */
    private static final String TWO_TOWER_FORMAT = "embedrec-two-tower-model";

    @Option(names = "--model-dir", paramLabel = "DIR", required = true, description = "A directory written by train --save.")
    Path modelDir;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the split (default: the model's).")
    Long seed;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a machine-readable report.")
    Path report;

    @Override
    public Integer call() throws IOException {
        String format = format(modelDir);
        if (TWO_TOWER_FORMAT.equals(format)) {
            return EvaluateTwoTower.run(this, TwoTowerModelFiles.load(modelDir));
        }
        if (SequentialModelFiles.FORMAT.equals(format)) {
            return EvaluateSequential.run(this, SequentialModelFiles.load(modelDir));
        }
        if (EvaluateSpec.FORMAT.equals(format)) {
            return EvaluateSpec.run(this, FeatureModelFiles.load(modelDir));
        }
        RatingModelFiles.Loaded loaded = RatingModelFiles.load(modelDir);
        RatingsData data = DataOptions.load(dataOptions.data, dataOptions.onBadLine, false);
        RatingModelFiles.requireSameIds(loaded, data);
        String splitSpec = dataOptions.split == null ? "random:0.8" : dataOptions.split;
        Split split = DataOptions.split(data, splitSpec, seed == null ? loaded.config().seed() : seed);
        RatingFeatures features = loaded.name().equals("wide-deep")
                ? RatingFeatures.withSideFeatures(data) : RatingFeatures.idsOnly(data);
        if (!features.spec().equals(loaded.spec())) {
            throw new IllegalArgumentException("the data's features differ from those the model was trained with");
        }
        RatingExamples train = features.examples(split.train());
        RatingExamples test = features.examples(split.test());
        long start = System.nanoTime();
        Map<String, Double> metrics = RatingTask.regression(loaded.model(), train.minRating(), train.maxRating()).evaluate(test);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s on %s (%s): test rmse %.4f  mae %.4f  (%d test examples, %.2fs)%n",
                loaded.name(), data.name(), splitSpec, metrics.get("rmse"), metrics.get("mae"), test.size(), seconds);
        if (report != null) {
            new RunReport("evaluate", loaded.name())
                    .dataset(data.name(), data.interactions().size(), data.interactions().numUsers(), data.interactions().numItems())
                    .split(splitSpec, train.size(), test.size())
                    .metrics(metrics)
                    .timing("evaluation_seconds", seconds)
                    .write(report);
        }
        return 0;
    }

    /**
     * The format {@code dir}'s current {@code model.json} names, or "" when it names none;
     * anything but the two-tower and spec formats, unreadable files included, goes to the
     * rating-model loader, whose errors name the problem.
     */
    private static String format(Path dir) {
        try {
            JsonNode root = new ObjectMapper().readTree(AtomicFiles.currentVersion(dir).resolve("model.json").toFile());
            return root == null ? "" : root.path("format").asText();
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }
}
