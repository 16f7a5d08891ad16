package org.embedrec.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.embedrec.engine.Parallel;
import org.embedrec.models.rating.RatingModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code embedrec train}: trains a model on a split, reports test metrics, optionally saves it:
 * a feature spec ({@link TrainSpec}), a rating preset through its shipped spec
 * ({@link TrainRatingPreset}) or the two-tower preset ({@link TrainTwoTower}). The model's options
 * come in mixins by the models they apply to ({@link ModelOptions} for all,
 * {@link RatingModelOptions}, {@link WideDeepOptions}, {@link RetrievalOptions}); one given for a
 * model that does not read it is refused (see {@link ModelScope}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a data split and report its test metrics.")
final class TrainCommand implements Callable<Integer> {
    /** The {@code --config} keys: the options that shape a run, not those naming where its results go. */
    static final Set<String> CONFIG_KEYS = Set.of("model", "data", "split", "on_bad_line", "epochs",
            "batch_size", "seed", "lr", "embedding_dim", "layers", "l2", "dropout", "optimizer",
            "wide_optimizer", "wide_lr", "pretrain_epochs", "threads", "temperature", "log_q", "remove_accidental_hits",
            "negatives", "validation_freq", "spec", "query", "max_length", "heads", "loss", "sampled",
            "patience", "exclude_seen", "eval_sample", "init");

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
                    + "two-tower-deep, mf, dot-mlp, ncf-mlp, wide-deep, dcn.")
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
            return TrainSequential.run(this, cfg, name);
        }
        if (name.equals(TrainTwoTower.MODEL)) {
            return TrainTwoTower.run(this, cfg);
        }
        return TrainRatingPreset.run(this, cfg, name);
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
