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
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.io.FeatureModelFiles;
import org.embedrec.models.FeatureExamples;
import org.embedrec.models.FeatureModel;
import org.embedrec.tasks.Ranking;

/**
 * {@code embedrec evaluate} on a model trained from a feature spec ({@code train --spec} or a
 * rating preset's {@code train --model}): the saved preprocessing encodes the split's test rows,
 * and the saved model gives its metrics on them, as training evaluated. A squared-error rating
 * task scores predictions clipped to the training ratings' range, so that the same data, split
 * and seed (the saved ones by default) give the numbers train printed.
 */
final class EvaluateFeatureModel {
    private EvaluateFeatureModel() {}

    static int run(EvaluateCommand cmd, FeatureModelFiles.Loaded loaded) throws IOException {
        FeatureEncoder encoder = loaded.encoder();
        FeatureSpec spec = encoder.spec();
        JsonNode provenance = loaded.provenance();
        String dataName = cmd.dataOptions.data == null ? "synthetic" : cmd.dataOptions.data;
        Path specDir = Path.of("").toAbsolutePath();
        SpecData data = Files.isRegularFile(Path.of(dataName))
                ? SpecData.read(spec, specDir, Path.of(dataName), DataOptions.policy(cmd.dataOptions.onBadLine),
                        ReadProgress.NONE)
                : SpecData.of(spec, specDir, DataOptions.load(dataName, cmd.dataOptions.onBadLine, false));
        String splitSpec = cmd.dataOptions.split != null ? cmd.dataOptions.split
                : provenance.path("split").asText("random:0.8");
        long seed = cmd.seed != null ? cmd.seed : provenance.path("settings").path("seed").asLong(42L);
        Interactions all = data.interactions().interactions();
        Split split = DataOptions.split(data.interactions(), splitSpec, seed);
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the test part is empty; nothing to evaluate");
        }
        long start = System.nanoTime();
        FeatureSource source = FeatureSource.of(spec, all, data.items(), data.users());
        EncodedFeatures catalogue = encoder.encodeCandidates(source);
        FeatureExamples test = FeatureExamples.of(encoder, source, split.test(), catalogue);
        FeatureModel model = loaded.model();
        Map<String, Double> metrics = new LinkedHashMap<>(model.metrics(test));
        boolean rating = spec.rating() != null && spec.rating().loss().equals("mse") && test.labels() != null;
        if (rating) {
            metrics.putAll(clipped(split.train(), model.predictRatings(test.queries(), test.items(), catalogue),
                    test.labels()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String name = provenance.path("preset").asText(provenance.path("model").asText(model.name()));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s (%s): test", name,
                data.interactions().name(), splitSpec));
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (!e.getKey().equals("loss") && (!e.getKey().startsWith("ndcg_at_") || e.getKey().equals("ndcg_at_10"))) {
                line.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue()));
            }
        }
        System.out.println(line.append(String.format(Locale.ROOT, "  (%d test examples, %.2fs)", test.size(), seconds)));
        if (cmd.report != null) {
            new RunReport("evaluate", name)
                    .dataset(data.interactions().name(), all.size(), all.numUsers(), all.numItems())
                    .split(splitSpec, split.train().size(), test.size())
                    .metrics(metrics)
                    .timing("evaluation_seconds", seconds)
                    .write(cmd.report);
        }
        return 0;
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
