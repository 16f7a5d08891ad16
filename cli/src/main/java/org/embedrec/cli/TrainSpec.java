package org.embedrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.DataFingerprint;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.EpochLogger;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.TrainingDivergedException;
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
        FeatureExperiment.Settings settings;
        try {
            settings = new FeatureExperiment.Settings(
                    cfg.string(m.optimizer, "optimizer", defaults.optimizer()),
                    cfg.number(m.lr, "lr", (float) defaults.learningRate()),
                    cfg.integer(m.batchSize, "batch_size", defaults.batchSize()),
                    cfg.integer(m.epochs, "epochs", defaults.epochs()),
                    cfg.integer(cmd.retrievalOptions.validationFreq, "validation_freq", defaults.validationFreq()),
                    seed);
        } catch (IllegalArgumentException e) {
            throw ModelOptions.inOptionTerms(e);
        }
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
        double readSeconds = (System.nanoTime() - loadStart) / 1e9;
        Trained trained = train(cmd, spec, settings, data, split, splitSpec, readSeconds,
                specFile.getFileName().toString(), MODEL + " " + specFile.getFileName(),
                "Lower a feature's embedding_dim, max_tokens or hash_bins in the spec");
        String name = trained.fitted().model().getClass().getSimpleName();
        FeatureExperiment.Report report = trained.report();

        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s from %s on %s (%s): test", name,
                specFile.getFileName(), rows.name(), splitSpec));
        for (Map.Entry<String, Double> e : report.metrics().entrySet()) {
            if (!e.getKey().startsWith("ndcg_at_") || e.getKey().equals("ndcg_at_10")) {
                line.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue()));
            }
        }
        History history = trained.fitted().history();
        line.append(String.format(Locale.ROOT, "  |  %d epochs, %.2fs training (median epoch %.3fs), %.0f examples/s",
                history.epochs().size(), history.trainSeconds(), history.medianEpochSeconds(),
                history.examplesPerSecond()));
        System.out.println(line);
        finish(cmd, trained, name, spec.toJson(), Map.of());
        return 0;
    }

    /** A trained spec model: the prepared data, the fitted model, its report and the data it was read from. */
    record Trained(SpecData data, Split split, String splitSpec, double readSeconds, FeatureExperiment.Prepared prepared,
                   FeatureExperiment.Fitted fitted, FeatureExperiment.Report report) {}

    /**
     * Prepares {@code spec}'s features on {@code split} of {@code data} (saying what was read unless
     * quiet), fits the model as {@code settings} say with a progress bar or per-epoch lines named
     * {@code label}, checkpointing and resuming as the command's checkpoint options say (the run
     * known as {@code run}), and evaluates it on the test part. Tables too large for the heap are
     * refused first, the message ending in {@code heapRemedy}.
     */
    static Trained train(TrainCommand cmd, FeatureSpec spec, FeatureExperiment.Settings settings, SpecData data,
                         Split split, String splitSpec, double readSeconds, String label, String run,
                         String heapRemedy) throws IOException {
        RatingsData rows = data.interactions();
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the test part is empty; the model reports "
                    + "its metrics on it");
        }
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, rows.interactions(), split, data.items(),
                data.users());
        if (!cmd.quiet) {
            System.out.printf(Locale.ROOT, "%s: %d interactions, %d users, %d items; split %s: %d train, %d test "
                            + "(read %.2fs, preprocessing %.2fs)%n",
                    rows.name(), rows.interactions().size(), rows.interactions().numUsers(),
                    rows.interactions().numItems(), splitSpec, prepared.train().size(), prepared.test().size(),
                    readSeconds, prepared.seconds());
        }
        FeatureExperiment.requireFitsTheHeap(prepared, settings, heapRemedy);
        List<Callback> callbacks = new ArrayList<>();
        if (ProgressBarCallback.wanted(cmd.quiet)) {
            callbacks.add(new ProgressBarCallback("train " + label, settings.batchSize()));
        } else if (!cmd.quiet) {
            callbacks.add(new EpochLogger(System.out));
        }
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.set("spec", spec.toJson());
        config.set("settings", new ObjectMapper().valueToTree(settings));
        Checkpointing checkpointing = cmd.checkpointOptions.prepare(() -> CheckpointOptions.run(run, config, splitSpec,
                split, new DataFingerprint().add("items", data.items()).add("users", data.users())), cmd.quiet);
        FeatureExperiment.Fitted fitted;
        try {
            fitted = FeatureExperiment.fit(prepared, settings, checkpointing, callbacks.toArray(Callback[]::new));
        } catch (TrainingDivergedException e) {
            throw cmd.checkpointOptions.diverged(e);
        }
        return new Trained(data, split, splitSpec, readSeconds, prepared, fitted, FeatureExperiment.report(fitted));
    }

    /**
     * Writes what the command asked for: the {@code --report} (model {@code name}, the run's
     * {@code config}), the {@code --plot} and the {@code --save}d model, whose provenance also
     * holds {@code provenance}.
     */
    static void finish(TrainCommand cmd, Trained trained, String name, JsonNode config, Map<String, Object> provenance)
            throws IOException {
        finish(cmd, trained, name, config, provenance, report -> { });
    }

    /** As the other {@code finish}, {@code more} adding to the report what only this model's command knows. */
    static void finish(TrainCommand cmd, Trained trained, String name, JsonNode config, Map<String, Object> provenance,
                       Consumer<RunReport> more) throws IOException {
        RatingsData rows = trained.data().interactions();
        FeatureExperiment.Prepared prepared = trained.prepared();
        FeatureExperiment.Fitted fitted = trained.fitted();
        FeatureExperiment.Report report = trained.report();
        if (cmd.report != null) {
            RunReport out = new RunReport("train", name)
                    .dataset(rows.name(), rows.interactions().size(), rows.interactions().numUsers(),
                            rows.interactions().numItems())
                    .split(trained.splitSpec(), prepared.train().size(), prepared.test().size())
                    .config(config)
                    .history(fitted.history())
                    .metrics(report.metrics())
                    .timing("load_seconds", trained.readSeconds() + prepared.seconds());
            report.timing().forEach(out::timing);
            more.accept(out);
            out.write(cmd.report);
        }
        if (cmd.plot != null) {
            LearningCurves.write(cmd.plot, name + " on " + rows.name(), fitted.history());
        }
        if (cmd.save != null) {
            Map<String, Object> saved = new LinkedHashMap<>(report.provenance());
            saved.putAll(provenance);
            saved.put("data", rows.name());
            saved.put("split", trained.splitSpec());
            saved.put("metrics", report.metrics());
            // Everything answering needs, beside the model: recommend and serve read this directory alone.
            SpecData data = trained.data();
            Recommender recommender = Recommender.build(fitted.model(), prepared.encoder(),
                    new TrainingData(rows.interactions(), trained.split().train(), data.items(), data.users()), saved);
            recommender.save(cmd.save);
            System.out.println("saved to " + cmd.save);
        }
    }
}
