package org.embedrec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.EpochLogger;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingData;
import picocli.CommandLine.ParseResult;

/**
 * {@code embedrec train --spec FILE.json --data FILE.csv}: a model described by a feature spec,
 * on the user's own data. The command line only names files and overrides the spec's training
 * settings; the {@link FeatureExperiment} does the work (prepare, fit, evaluate, report).
 */
final class TrainSpec {
    static final String MODEL = "--spec";

    private TrainSpec() {
    }

    static int run(TrainCommand cmd, ExperimentConfig cfg) throws IOException {
        if (cmd.save != null && Files.exists(cmd.save) && !Files.isDirectory(cmd.save)) {
            throw new IllegalArgumentException("--save " + cmd.save + ": exists and is not a directory");
        }
        ModelOptions m = cmd.modelOptions;
        if (m.embeddingDim != null || cfg.has("embedding_dim")) {
            throw new IllegalArgumentException("--embedding-dim does not apply with --spec: each feature's width is "
                    + "its embedding_dim in the spec file");
        }
        if (m.layers != null || cfg.has("layers")) {
            throw new IllegalArgumentException("--layers does not apply with --spec: the towers' layers are in the "
                    + "spec file's towers section");
        }
        ParseResult parsed = cmd.spec.commandLine().getParseResult();
        cmd.ratingOptions.refuseInapplicable(MODEL, parsed, cfg);
        cmd.wideDeepOptions.refuseInapplicable(MODEL, parsed, cfg);
        cmd.retrievalOptions.refuseInapplicable(MODEL, parsed, cfg);
        Path specFile = cmd.specFile;
        // A name that is no file but a shipped preset names the preset.
        boolean preset = !Files.exists(specFile) && FeatureSpec.PRESETS.contains(specFile.toString());
        FeatureSpec spec = preset ? FeatureSpec.preset(specFile.toString()) : FeatureSpec.read(specFile);
        long seed = cfg.longValue(m.seed, "seed", 42L);
        FeatureExperiment.Settings defaults = FeatureExperiment.Settings.of(spec, seed);
        FeatureExperiment.Settings settings = new FeatureExperiment.Settings(
                cfg.string(m.optimizer, "optimizer", defaults.optimizer()),
                cfg.number(m.lr, "lr", (float) defaults.learningRate()),
                cfg.integer(m.batchSize, "batch_size", defaults.batchSize()),
                cfg.integer(m.epochs, "epochs", defaults.epochs()),
                cfg.integer(cmd.retrievalOptions.validationFreq, "validation_freq", defaults.validationFreq()),
                seed);
        String dataName = cfg.string(cmd.dataOptions.data, "data", null);
        if (dataName == null) {
            throw new IllegalArgumentException("--spec needs --data: a CSV file with a header, or a jdbc: URL with "
                    + "--query");
        }
        String splitSpec = cfg.string(cmd.dataOptions.split, "split", "random:0.8");
        BadLinePolicy policy = DataOptions.policy(cfg.string(cmd.dataOptions.onBadLine, "on_bad_line", "fail"));
        Path specDir = preset ? Path.of("").toAbsolutePath() : specFile.toAbsolutePath().getParent();

        long loadStart = System.nanoTime();
        SpecData data;
        if (dataName.startsWith("jdbc:")) {
            if (cmd.query == null) {
                throw new IllegalArgumentException("--data " + dataName + " is a JDBC URL: give the rows with --query SQL");
            }
            data = SpecData.query(spec, specDir, dataName, cmd.query, policy);
        } else {
            if (cmd.query != null) {
                throw new IllegalArgumentException("--query applies to a jdbc: URL in --data, not to the file " + dataName);
            }
            data = SpecData.read(spec, specDir, Path.of(dataName), policy,
                    ProgressBarCallback.wanted(cmd.quiet) ? new LoadingBar() : ReadProgress.NONE);
        }
        RatingsData rows = data.interactions();
        Split split = DataOptions.split(rows, splitSpec, seed);
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the test part is empty; the model reports "
                    + "its metrics on it");
        }
        double readSeconds = (System.nanoTime() - loadStart) / 1e9;
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, rows.interactions(), split, data.items(),
                data.users());
        if (!cmd.quiet) {
            System.out.printf(Locale.ROOT, "%s: %d interactions, %d users, %d items; split %s: %d train, %d test "
                            + "(read %.2fs, preprocessing %.2fs)%n",
                    rows.name(), rows.interactions().size(), rows.interactions().numUsers(),
                    rows.interactions().numItems(), splitSpec, prepared.train().size(), prepared.test().size(),
                    readSeconds, prepared.seconds());
        }
        List<Callback> callbacks = new ArrayList<>();
        if (ProgressBarCallback.wanted(cmd.quiet)) {
            callbacks.add(new ProgressBarCallback("train " + specFile.getFileName(), settings.batchSize()));
        } else if (!cmd.quiet) {
            callbacks.add(new EpochLogger(System.out));
        }
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, settings, callbacks.toArray(Callback[]::new));
        FeatureExperiment.Report report = FeatureExperiment.report(fitted);
        String name = fitted.model().getClass().getSimpleName();

        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s from %s on %s (%s): test", name,
                specFile.getFileName(), rows.name(), splitSpec));
        for (Map.Entry<String, Double> e : report.metrics().entrySet()) {
            if (!e.getKey().startsWith("ndcg_at_") || e.getKey().equals("ndcg_at_10")) {
                line.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue()));
            }
        }
        line.append(String.format(Locale.ROOT, "  |  %d epochs, %.2fs training (median epoch %.3fs), %.0f examples/s",
                fitted.history().epochs().size(), fitted.history().trainSeconds(),
                fitted.history().medianEpochSeconds(), fitted.history().examplesPerSecond()));
        System.out.println(line);

        if (cmd.report != null) {
            RunReport out = new RunReport("train", name)
                    .dataset(rows.name(), rows.interactions().size(), rows.interactions().numUsers(),
                            rows.interactions().numItems())
                    .split(splitSpec, prepared.train().size(), prepared.test().size())
                    .config(spec.toJson())
                    .history(fitted.history())
                    .metrics(report.metrics())
                    .timing("load_seconds", readSeconds + prepared.seconds());
            report.timing().forEach(out::timing);
            out.write(cmd.report);
        }
        if (cmd.plot != null) {
            LearningCurves.write(cmd.plot, name + " on " + rows.name(), fitted.history());
        }
        if (cmd.save != null) {
            Map<String, Object> provenance = new LinkedHashMap<>(report.provenance());
            provenance.put("data", rows.name());
            provenance.put("split", splitSpec);
            provenance.put("metrics", report.metrics());
            // Everything answering needs, beside the model: recommend and serve read this directory alone.
            Recommender recommender = Recommender.build(fitted.model(), prepared.encoder(),
                    new TrainingData(rows.interactions(), split.train(), data.items(), data.users()), provenance);
            recommender.save(cmd.save);
            System.out.println("saved to " + cmd.save);
        }
        return 0;
    }
}
