package org.embedrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.embedrec.data.DataFingerprint;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.models.rating.RatingExamples;
import org.embedrec.models.rating.RatingFeatures;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.models.rating.RatingTask;
import org.embedrec.models.rating.RatingTraining;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.EpochLogger;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code embedrec train}: trains a model on a split, reports test metrics, optionally saves it.
 * The model's options come in mixins by the models they apply to ({@link ModelOptions} for
 * all, {@link RatingModelOptions}, {@link WideDeepOptions}, {@link RetrievalOptions}); one
 * given for a model that does not read it is refused (see {@link ModelScope}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a data split and report its test metrics.")
final class TrainCommand implements Callable<Integer> {
    /** The {@code --config} keys: the options that shape a run, not those naming where its results go. */
    static final Set<String> CONFIG_KEYS = Set.of("model", "data", "split", "on_bad_line", "epochs",
            "batch_size", "seed", "lr", "embedding_dim", "layers", "l2", "dropout", "optimizer",
            "wide_optimizer", "wide_lr", "pretrain_epochs", "threads", "temperature", "log_q", "remove_accidental_hits",
            "negatives", "validation_freq", "spec", "query", "max_length", "heads", "loss", "sampled",
            "patience", "exclude_seen");

    /** Every {@code --model} name: the rating models, the two-tower model, then the sequential ones. */
    static final List<String> MODELS = Stream.of(RatingModels.NAMES.stream(), Stream.of(TrainTwoTower.MODEL),
            TrainSequential.MODELS.stream()).flatMap(s -> s).toList();

    /** This command's picocli model, injected by {@link #spec(CommandSpec)}: what was given on the line. */
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "mf, dot-mlp, ncf-mlp, wide-deep, two-tower, or the next-item models gru4rec, sasrec and pop "
                    + "(with --split leave-last-out).")
    String model;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RatingModelOptions ratingOptions;

    @Mixin
    WideDeepOptions wideDeepOptions;

    @Mixin
    RetrievalOptions retrievalOptions;

    @Mixin
    CheckpointOptions checkpointOptions;

    @Mixin
    SequentialOptions sequentialOptions;

    @Option(names = "--spec", paramLabel = "FILE.json",
            description = "Train the model a feature spec describes (features, towers, tasks) on --data FILE.csv, "
                    + "a MovieLens directory or a jdbc: URL with --query; instead of --model. Presets: two-tower, "
                    + "two-tower-deep.")
    Path specFile;
    @Option(names = "--query", paramLabel = "SQL",
            description = "With --spec and --data jdbc:URL: the query whose rows are the interactions.")
    String query;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the kernels (default: all cores).") Integer threads;
    @Option(names = "--config", paramLabel = "FILE", description = "Options from a JSON file; flags override it.") Path configFile;
    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a machine-readable report.") Path report;
    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the learning curves.") Path plot;
    @Option(names = "--save", paramLabel = "DIR", description = "Save the trained model to this directory.") Path save;
    @Option(names = {"-q", "--quiet"}, description = "No progress bar or per-epoch lines.") boolean quiet;

    @Override
    public Integer call() throws IOException {
        ExperimentConfig cfg = configFile == null ? ExperimentConfig.empty() : ExperimentConfig.read(configFile, CONFIG_KEYS);
        String name = cfg.string(model, "model", null);
        if (specFile == null && cfg.has("spec")) {
            specFile = Path.of(cfg.string(null, "spec", null));
        }
        if (specFile != null) {
            if (name != null) {
                throw new IllegalArgumentException("give --model or --spec, not both: a spec describes its own model");
            }
            setThreads(cfg);
            return TrainSpec.run(this, cfg);
        }
        if (query != null || cfg.has("query")) {
            throw new IllegalArgumentException("--query applies to --spec with a jdbc: URL in --data");
        }
        if (name == null) {
            throw new IllegalArgumentException("--model is required: one of " + String.join(", ", MODELS));
        }
        if (!MODELS.contains(name)) {
            throw new IllegalArgumentException("unknown model '" + name + "': expected one of " + String.join(", ", MODELS));
        }
        ParseResult parsed = spec.commandLine().getParseResult();
        modelOptions.refuseInapplicable(name, parsed, cfg);
        ratingOptions.refuseInapplicable(name, parsed, cfg);
        wideDeepOptions.refuseInapplicable(name, parsed, cfg);
        retrievalOptions.refuseInapplicable(name, parsed, cfg);
        sequentialOptions.refuseInapplicable(name, parsed, cfg);
        setThreads(cfg);
        if (TrainSequential.MODELS.contains(name)) {
            if (checkpointOptions.checkpointDir != null || checkpointOptions.every != null || checkpointOptions.resume != null) {
                // Refused rather than ignored: a user who asked for checkpoints must not find none after a crash.
                throw new IllegalArgumentException("--checkpoint-dir, --checkpoint-every, --resume: the sequential model '"
                        + name + "' writes no checkpoints yet");
            }
            return TrainSequential.run(this, cfg, name);
        }
        if (name.equals(TrainTwoTower.MODEL)) {
            return TrainTwoTower.run(this, cfg);
        }
        RatingModelConfig defaults = RatingModelConfig.defaults(name);
        long seedValue = cfg.longValue(modelOptions.seed, "seed", defaults.seed());
        RatingModelConfig config = ratingConfig(defaults, cfg, seedValue);
        String dataName = cfg.string(dataOptions.data, "data", "synthetic");
        String splitSpec = cfg.string(dataOptions.split, "split", "random:0.8");

        long loadStart = System.nanoTime();
        RatingsData data = DataOptions.load(dataName, cfg.string(dataOptions.onBadLine, "on_bad_line", "fail"),
                quiet);
        Split split = DataOptions.split(data, splitSpec, seedValue);
        RatingFeatures features = name.equals(WideDeepOptions.MODEL) ? RatingFeatures.withSideFeatures(data) : RatingFeatures.idsOnly(data);
        RatingExamples train = features.examples(split.train());
        RatingExamples test = features.examples(split.test());
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        if (!quiet) {
            System.out.printf(Locale.ROOT, "%s: %d interactions, %d users, %d items; split %s: %d train, %d test (%.2fs)%n",
                    data.name(), data.interactions().size(), data.interactions().numUsers(),
                    data.interactions().numItems(), splitSpec, train.size(), test.size(), loadSeconds);
        }

        ObjectNode configJson = new ObjectMapper().valueToTree(config);
        Checkpointing checkpointing = checkpointOptions.prepare(CheckpointOptions.run(name, configJson, splitSpec, split,
                new DataFingerprint().addSideTables(data)), quiet);
        RatingModel net = RatingModels.create(name, features.spec(), config, new Rng(seedValue));
        List<Callback> callbacks = new ArrayList<>();
        if (ProgressBarCallback.wanted(quiet)) {
            callbacks.add(new ProgressBarCallback("train " + name, config.batchSize()));
        } else if (!quiet) {
            callbacks.add(new EpochLogger(System.out));
        }
        RatingTraining.Result result;
        try {
            result = RatingTraining.fit(net, config, train, test, checkpointing, callbacks.toArray(Callback[]::new));
        } catch (TrainingDivergedException e) {
            throw checkpointOptions.diverged(e);
        }
        History history = result.history();
        RatingTask evaluation = RatingTask.regression(net, train.minRating(), train.maxRating());
        long evalStart = System.nanoTime();
        Map<String, Double> metrics = evaluation.evaluate(test);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

        System.out.printf(Locale.ROOT, "%s on %s (%s): test rmse %.4f  mae %.4f  |  %d epochs, %.2fs training, %.0f examples/s%n",
                name, data.name(), splitSpec, metrics.get("rmse"), metrics.get("mae"), history.epochs().size(),
                history.trainSeconds(), history.examplesPerSecond());

        if (report != null) {
            new RunReport("train", name)
                    .dataset(data.name(), data.interactions().size(), data.interactions().numUsers(), data.interactions().numItems())
                    .split(splitSpec, train.size(), test.size())
                    .config(configJson)
                    .history(history)
                    .metrics(metrics)
                    .timing("load_seconds", loadSeconds)
                    .timing("evaluation_seconds", evalSeconds)
                    .write(report);
        }
        if (plot != null) {
            LearningCurves.write(plot, name + " on " + data.name(), history);
        }
        if (save != null) {
            RatingModelFiles.save(save, name, config, features.spec(), data, net);
            System.out.println("saved to " + save);
        }
        return 0;
    }

    /** The rating model's configuration: flags, then the config file, then the model's defaults. */
    private RatingModelConfig ratingConfig(RatingModelConfig defaults, ExperimentConfig cfg, long seedValue) {
        ModelOptions m = modelOptions;
        try {
            return new RatingModelConfig(
                    cfg.integer(m.embeddingDim, "embedding_dim", defaults.embeddingDim()),
                    cfg.integers(m.layers, "layers", defaults.hiddenUnits()),
                    cfg.number(m.lr, "lr", defaults.learningRate()),
                    cfg.number(wideDeepOptions.wideLr, "wide_lr", defaults.wideLearningRate()),
                    cfg.number(ratingOptions.l2, "l2", defaults.l2()),
                    cfg.number(ratingOptions.dropout, "dropout", defaults.dropout()),
                    cfg.string(m.optimizer, "optimizer", defaults.optimizer()),
                    cfg.string(wideDeepOptions.wideOptimizer, "wide_optimizer", defaults.wideOptimizer()),
                    cfg.integer(m.batchSize, "batch_size", defaults.batchSize()),
                    cfg.integer(m.epochs, "epochs", defaults.epochs()),
                    cfg.integer(wideDeepOptions.pretrainEpochs, "pretrain_epochs", defaults.pretrainEpochs()),
                    seedValue);
        } catch (IllegalArgumentException e) {
            throw ModelOptions.inOptionTerms(e);
        }
    }

    /** Picocli hands over the command's spec here; the help footer is the defaults table. */
    @Spec
    void spec(CommandSpec commandSpec) {
        this.spec = commandSpec;
        commandSpec.usageMessage().footer(ModelDefaults.footer().toArray(String[]::new));
    }

    private void setThreads(ExperimentConfig cfg) {
        int threadCount = cfg.integer(threads, "threads", Parallel.threads());
        if (threadCount < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threadCount);
        }
        Parallel.setThreads(threadCount);
    }
}
