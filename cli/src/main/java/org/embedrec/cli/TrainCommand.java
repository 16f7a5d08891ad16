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
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.models.RatingExamples;
import org.embedrec.models.RatingFeatures;
import org.embedrec.models.RatingModel;
import org.embedrec.models.RatingModelConfig;
import org.embedrec.models.RatingModels;
import org.embedrec.models.RatingTask;
import org.embedrec.models.RatingTraining;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.EpochLogger;
import org.embedrec.nn.train.History;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code embedrec train}: trains a model on a split, reports test metrics, optionally saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a data split and report its test metrics.")
final class TrainCommand implements Callable<Integer> {
    private static final Set<String> CONFIG_KEYS = Set.of("model", "data", "split", "on_bad_line", "epochs",
            "batch_size", "seed", "lr", "embedding_dim", "layers", "l2", "dropout", "optimizer",
            "wide_optimizer", "wide_lr", "pretrain_epochs", "threads", "temperature", "log_q", "remove_accidental_hits",
            "negatives", "validation_freq");

    @Option(names = "--model", paramLabel = "NAME", description = "mf, dot-mlp, ncf-mlp, wide-deep or two-tower.")
    String model;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--epochs", paramLabel = "N") Integer epochs;
    @Option(names = "--batch-size", paramLabel = "N") Integer batchSize;
    @Option(names = "--seed", paramLabel = "N", description = "Seeds the split, the initial weights and shuffling (default 42).") Long seed;
    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (of the deep part for wide-deep).") Float lr;
    @Option(names = "--embedding-dim", paramLabel = "N") Integer embeddingDim;
    @Option(names = "--layers", paramLabel = "UNITS", description = "Hidden layer sizes, e.g. 64,32; for two-tower each tower's dense layers, the last one the embedding width.") String layers;
    @Option(names = "--l2", paramLabel = "W") Float l2;
    @Option(names = "--dropout", paramLabel = "RATE") Float dropout;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam, adamw, adagrad, rmsprop or ftrl.") String optimizer;
    @Option(names = "--wide-optimizer", paramLabel = "NAME", description = "Optimizer of the wide part (wide-deep).") String wideOptimizer;
    @Option(names = "--wide-lr", paramLabel = "RATE") Float wideLr;
    @Option(names = "--pretrain", paramLabel = "EPOCHS", description = "wide-deep: first train each part alone for this many epochs.") Integer pretrainEpochs;
    @Option(names = "--threads", paramLabel = "N", description = "Threads for the kernels (default: all cores).") Integer threads;
    @Option(names = "--validation-freq", paramLabel = "N", description = "two-tower: validate every N epochs (default 5) and after the last.") Integer validationFreq;
    @Option(names = "--temperature", paramLabel = "T", description = "two-tower: divide the retrieval logits by T (default 1).") Float temperature;
    @Option(names = "--log-q", negatable = true, description = "two-tower: correct the logits by the candidates' log training frequency.") Boolean logQ;
    @Option(names = "--remove-accidental-hits", negatable = true, description = "two-tower: mask in-batch negatives that are the query's own item.") Boolean removeAccidentalHits;
    @Option(names = "--negatives", paramLabel = "N", description = "two-tower: N extra negatives per batch, drawn uniformly from the catalogue (default 0).") Integer negatives;

    @Option(names = "--config", paramLabel = "FILE", description = "Options from a JSON file; flags override it.") Path configFile;
    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a machine-readable report.") Path report;
    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the learning curves.") Path plot;
    @Option(names = "--save", paramLabel = "DIR", description = "Save the trained model to this directory.") Path save;
    @Option(names = {"-q", "--quiet"}, description = "No progress bar or per-epoch lines.") boolean quiet;

    @Override
    public Integer call() throws IOException {
        ExperimentConfig cfg = configFile == null ? ExperimentConfig.empty() : ExperimentConfig.read(configFile, CONFIG_KEYS);
        String name = cfg.string(model, "model", null);
        if (name == null) {
            throw new IllegalArgumentException("--model is required: one of " + String.join(", ", RatingModels.NAMES)
                    + ", " + TrainTwoTower.MODEL);
        }
        int threadCount = cfg.integer(threads, "threads", Parallel.threads());
        if (threadCount < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threadCount);
        }
        Parallel.setThreads(threadCount);
        if (name.equals(TrainTwoTower.MODEL)) {
            return TrainTwoTower.run(this, cfg);
        }
        rejectTwoTowerOptions(name, cfg);
        RatingModelConfig defaults = RatingModelConfig.defaults(name);
        long seedValue = cfg.longValue(seed, "seed", defaults.seed());
        RatingModelConfig config = new RatingModelConfig(
                cfg.integer(embeddingDim, "embedding_dim", defaults.embeddingDim()),
                cfg.integers(layers, "layers", defaults.hiddenUnits()),
                cfg.number(lr, "lr", defaults.learningRate()),
                cfg.number(wideLr, "wide_lr", defaults.wideLearningRate()),
                cfg.number(l2, "l2", defaults.l2()),
                cfg.number(dropout, "dropout", defaults.dropout()),
                cfg.string(optimizer, "optimizer", defaults.optimizer()),
                cfg.string(wideOptimizer, "wide_optimizer", defaults.wideOptimizer()),
                cfg.integer(batchSize, "batch_size", defaults.batchSize()),
                cfg.integer(epochs, "epochs", defaults.epochs()),
                cfg.integer(pretrainEpochs, "pretrain_epochs", defaults.pretrainEpochs()),
                seedValue);
        String dataName = cfg.string(dataOptions.data, "data", "synthetic");
        String splitSpec = cfg.string(dataOptions.split, "split", "random:0.8");

        long loadStart = System.nanoTime();
        RatingsData data = DataOptions.load(dataName, cfg.string(dataOptions.onBadLine, "on_bad_line", "fail"),
                quiet);
        Split split = DataOptions.split(data, splitSpec, seedValue);
        RatingFeatures features = name.equals("wide-deep") ? RatingFeatures.withSideFeatures(data) : RatingFeatures.idsOnly(data);
        RatingExamples train = features.examples(split.train());
        RatingExamples test = features.examples(split.test());
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        if (!quiet) {
            System.out.printf(Locale.ROOT, "%s: %d interactions, %d users, %d items; split %s: %d train, %d test (%.2fs)%n",
                    data.name(), data.interactions().size(), data.interactions().numUsers(),
                    data.interactions().numItems(), splitSpec, train.size(), test.size(), loadSeconds);
        }

        RatingModel net = RatingModels.create(name, features.spec(), config, new Rng(seedValue));
        List<Callback> callbacks = new ArrayList<>();
        if (ProgressBarCallback.wanted(quiet)) {
            callbacks.add(new ProgressBarCallback("train " + name, config.batchSize()));
        } else if (!quiet) {
            callbacks.add(new EpochLogger(System.out));
        }
        RatingTraining.Result result = RatingTraining.fit(net, config, train, test, callbacks.toArray(Callback[]::new));
        History history = result.history();
        RatingTask evaluation = RatingTask.regression(net, train.minRating(), train.maxRating());
        long evalStart = System.nanoTime();
        Map<String, Double> metrics = evaluation.evaluate(test);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

        System.out.printf(Locale.ROOT, "%s on %s (%s): test rmse %.4f  mae %.4f  |  %d epochs, %.2fs training, %.0f examples/s%n",
                name, data.name(), splitSpec, metrics.get("rmse"), metrics.get("mae"), history.epochs().size(),
                history.trainSeconds(), history.examplesPerSecond());

        ObjectNode configJson = new ObjectMapper().valueToTree(config);
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

    /** The options only the two-tower model reads, refused for a rating model so a typo of --model is not silent. */
    private void rejectTwoTowerOptions(String name, ExperimentConfig cfg) {
        String why = " applies to --model " + TrainTwoTower.MODEL + " only, not to " + name;
        refuse(cfg, validationFreq, "validation_freq", "--validation-freq", why);
        refuse(cfg, temperature, "temperature", "--temperature", why);
        refuse(cfg, logQ, "log_q", "--log-q", why);
        refuse(cfg, removeAccidentalHits, "remove_accidental_hits", "--remove-accidental-hits", why);
        refuse(cfg, negatives, "negatives", "--negatives", why);
    }

    /** Fails with {@code flag + why} when the option was given on the command line or in the config file. */
    static void refuse(ExperimentConfig cfg, Object flagValue, String key, String flag, String why) {
        if (flagValue != null || cfg.has(key)) {
            throw new IllegalArgumentException(flag + why);
        }
    }
}
