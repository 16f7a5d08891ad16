package org.embedrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.Interactions;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.io.FeatureModelFiles;
import org.embedrec.models.FeatureExamples;
import org.embedrec.models.FeatureModel;
import org.embedrec.tasks.Ranking;

/**
 * {@code embedrec evaluate} on a model trained from a spec ({@code train --spec}, or a rating
 * preset's {@code train --model mf|dot-mlp|ncf-mlp|wide-deep}): its metrics (as {@code train}
 * reports them) on the test part of {@code --data} split as the model was (the split and seed
 * saved with it, unless {@code --split} and {@code --seed} say otherwise), encoded with the saved
 * preprocessing, never adapted again. The catalogue must be the model's: the same data, or data
 * with the same items. A spec's side tables are looked for beside the data file (the spec file
 * itself is not saved, only its content); a rating preset reads its data as {@code train} does
 * (a MovieLens directory or the synthetic data), and a squared-error rating task scores
 * predictions clipped to the training ratings' range, as training did.
 */
final class EvaluateSpec {
    static final String FORMAT = "embedrec-feature-model";

    private EvaluateSpec() {}

    static int run(EvaluateCommand cmd, FeatureModelFiles.Loaded loaded) throws IOException {
        JsonNode provenance = loaded.provenance();
        String preset = provenance.path("preset").asText("");
        FeatureSpec spec = loaded.encoder().spec();
        SpecData read = read(cmd, spec, preset);
        String dataName = read.interactions().name();
        String splitSpec = cmd.dataOptions.split != null ? cmd.dataOptions.split
                : provenance.path("split").asText("random:0.8");
        long seed = cmd.seed != null ? cmd.seed : provenance.path("settings").path("seed").asLong(42);
        Split split = DataOptions.split(read.interactions(), splitSpec, seed);
        Interactions all = read.interactions().interactions();
        FeatureSource source = FeatureSource.of(spec, all, read.items(), read.users());
        if (!source.catalogueIds().equals(loaded.itemIds())) {
            throw new IllegalArgumentException("--data " + dataName + ": its catalogue (" + source.catalogueSize()
                    + " items) is not the model's (" + loaded.itemIds().size() + " items); evaluate on the data the "
                    + "model was trained on");
        }
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the test part is empty; nothing to evaluate");
        }
        long start = System.nanoTime();
        EncodedFeatures catalogue = loaded.encoder().encodeCandidates(source);
        FeatureExamples test = FeatureExamples.of(loaded.encoder(), source, split.test(), catalogue);
        FeatureModel model = loaded.model();
        Map<String, Double> metrics = new LinkedHashMap<>(model.metrics(test));
        if (spec.rating() != null && spec.rating().loss().equals("mse") && test.labels() != null) {
            metrics.putAll(clipped(split.train(), model.predictRatings(test.queries(), test.items(), catalogue),
                    test.labels()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String name = preset.isEmpty() ? model.getClass().getSimpleName() : preset;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s (%s): test", name, dataName,
                splitSpec));
        if (preset.equals(TrainTwoTower.MODEL)) {
            line.append(TrainTwoTower.topK(metrics));   // as train printed them
        } else {
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                if (!e.getKey().startsWith("ndcg_at_") || e.getKey().equals("ndcg_at_10")) {
                    line.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue()));
                }
            }
        }
        line.append(String.format(Locale.ROOT, "  |  %d test rows, %.2fs", test.size(), seconds));
        System.out.println(line);
        if (cmd.report != null) {
            new RunReport("evaluate", name)
                    .dataset(dataName, all.size(), all.numUsers(), all.numItems())
                    .split(splitSpec, split.train().size(), split.test().size())
                    .metrics(metrics)
                    .timing("evaluation_seconds", seconds)
                    .write(cmd.report);
        }
        return 0;
    }

    /** The rows to evaluate on: {@code --data} read as the spec's CSV, or as a rating preset's data. */
    private static SpecData read(EvaluateCommand cmd, FeatureSpec spec, String preset) throws IOException {
        String dataName = cmd.dataOptions.data;
        if (preset.equals(TrainTwoTower.MODEL)) {
            return TrainTwoTower.data(spec, DataOptions.load(dataName == null ? "synthetic" : dataName,
                    cmd.dataOptions.onBadLine, false));
        }
        if (!preset.isEmpty()) {
            return SpecData.of(spec, Path.of("").toAbsolutePath(), DataOptions.load(
                    dataName == null ? "synthetic" : dataName, cmd.dataOptions.onBadLine, false));
        }
        if (dataName == null) {
            throw new IllegalArgumentException("--data: a spec model is evaluated on the CSV file or MovieLens "
                    + "directory it was trained on (its side tables beside it)");
        }
        Path data = Path.of(dataName);
        Path tables = Files.isDirectory(data) ? data : data.toAbsolutePath().getParent();
        return SpecData.read(spec, tables, data, DataOptions.policy(cmd.dataOptions.onBadLine), ReadProgress.NONE);
    }

    /** RMSE and MAE of the predictions clipped to the range of the training rows' ratings. */
    private static Map<String, Double> clipped(Interactions train, float[] predictions, float[] labels) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float r : train.ratings()) {
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        Ranking ranking = min < max ? Ranking.regression(min, max) : Ranking.regression();
        return ranking.metrics(predictions, labels).asMap();
    }
}
