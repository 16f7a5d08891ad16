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

/**
 * {@code embedrec evaluate} on a model trained from a spec: its metrics (as {@code train}
 * reports them) on the test part of {@code --data} split as the model was (the split and seed
 * saved with it, unless {@code --split} and {@code --seed} say otherwise), encoded with the saved
 * preprocessing, never adapted again. The catalogue must be the model's: the same data, or data
 * with the same items. The spec's side tables are looked for beside the data file (the spec file
 * itself is not saved, only its content).
 */
final class EvaluateSpec {
    static final String FORMAT = "embedrec-feature-model";

    private EvaluateSpec() {}

    static int run(EvaluateCommand cmd, FeatureModelFiles.Loaded loaded) throws IOException {
        String dataName = cmd.dataOptions.data;
        if (dataName == null) {
            throw new IllegalArgumentException("--data: a spec model is evaluated on the CSV file or MovieLens "
                    + "directory it was trained on (its side tables beside it)");
        }
        FeatureSpec spec = loaded.encoder().spec();
        Path data = Path.of(dataName);
        Path tables = Files.isDirectory(data) ? data : data.toAbsolutePath().getParent();
        SpecData read = SpecData.read(spec, tables, data, DataOptions.policy(cmd.dataOptions.onBadLine),
                ReadProgress.NONE);
        JsonNode provenance = loaded.provenance();
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
        Map<String, Double> metrics = new LinkedHashMap<>(loaded.model().metrics(test));
        double seconds = (System.nanoTime() - start) / 1e9;
        String name = loaded.model().getClass().getSimpleName();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s (%s): test", name,
                read.interactions().name(), splitSpec));
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (!e.getKey().startsWith("ndcg_at_") || e.getKey().equals("ndcg_at_10")) {
                line.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue()));
            }
        }
        line.append(String.format(Locale.ROOT, "  |  %d test rows, %.2fs", test.size(), seconds));
        System.out.println(line);
        if (cmd.report != null) {
            new RunReport("evaluate", name)
                    .dataset(read.interactions().name(), all.size(), all.numUsers(), all.numItems())
                    .split(splitSpec, split.train().size(), split.test().size())
                    .metrics(metrics)
                    .timing("evaluation_seconds", seconds)
                    .write(cmd.report);
        }
        return 0;
    }
}
