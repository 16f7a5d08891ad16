package org.embedrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingSpecs;
import org.embedrec.nn.train.History;

/**
 * {@code embedrec train --model mf|dot-mlp|ncf-mlp|wide-deep}: the rating preset's shipped spec
 * ({@code --spec NAME}) with the model's defaults and flags written into it
 * ({@link RatingSpecs}), trained on a MovieLens directory or the synthetic data, whose movie and
 * user tables give {@code wide-deep} its side features. Prints the test RMSE and MAE of
 * predictions clipped to the training ratings' range; {@code --save} writes a feature-model
 * directory, which {@code evaluate} reads.
 */
final class TrainRatingPreset {
    private TrainRatingPreset() {}

    static int run(TrainCommand cmd, ExperimentConfig cfg, String name) throws IOException {
        if (cmd.save != null && Files.exists(cmd.save) && !Files.isDirectory(cmd.save)) {
            throw new IllegalArgumentException("--save " + cmd.save + ": exists and is not a directory");
        }
        RatingModelConfig config = config(cmd, cfg, name);
        FeatureSpec spec = RatingSpecs.of(name, config);
        FeatureExperiment.Settings settings = FeatureExperiment.Settings.of(spec, config.seed());
        String dataName = cfg.string(cmd.dataOptions.data, "data", "synthetic");
        String splitSpec = cfg.string(cmd.dataOptions.split, "split", "random:0.8");

        long loadStart = System.nanoTime();
        RatingsData rows = DataOptions.load(dataName, cfg.string(cmd.dataOptions.onBadLine, "on_bad_line", "fail"),
                cmd.quiet);
        Split split = DataOptions.split(rows, splitSpec, config.seed());
        SpecData data = SpecData.of(spec, Path.of("").toAbsolutePath(), rows);
        double readSeconds = (System.nanoTime() - loadStart) / 1e9;
        TrainSpec.Trained trained = TrainSpec.train(cmd, spec, settings, data, split, splitSpec, readSeconds, name,
                name, "Lower the embedding width (--embedding-dim)");

        Map<String, Double> metrics = trained.report().metrics();
        History history = trained.fitted().history();
        System.out.printf(Locale.ROOT, "%s on %s (%s): test rmse %.4f  mae %.4f  |  %d epochs, %.2fs training, "
                        + "%.0f examples/s%n", name, rows.name(), splitSpec, metrics.get("rmse"), metrics.get("mae"),
                history.epochs().size(), history.trainSeconds(), history.examplesPerSecond());
        ObjectNode configJson = new ObjectMapper().valueToTree(config);
        TrainSpec.finish(cmd, trained, name, configJson, Map.of("preset", name));
        return 0;
    }

    /** The model's defaults ({@link RatingModelConfig#defaults}) with the flags and config keys given. */
    static RatingModelConfig config(TrainCommand cmd, ExperimentConfig cfg, String name) {
        RatingModelConfig defaults = RatingModelConfig.defaults(name);
        ModelOptions m = cmd.modelOptions;
        RatingModelOptions r = cmd.ratingOptions;
        WideDeepOptions w = cmd.wideDeepOptions;
        try {
            return new RatingModelConfig(
                    cfg.integer(m.embeddingDim, "embedding_dim", defaults.embeddingDim()),
                    cfg.integers(m.layers, "layers", defaults.hiddenUnits()),
                    cfg.number(m.lr, "lr", defaults.learningRate()),
                    cfg.number(w.wideLr, "wide_lr", defaults.wideLearningRate()),
                    cfg.number(r.l2, "l2", defaults.l2()),
                    cfg.number(r.dropout, "dropout", defaults.dropout()),
                    cfg.string(m.optimizer, "optimizer", defaults.optimizer()),
                    cfg.string(w.wideOptimizer, "wide_optimizer", defaults.wideOptimizer()),
                    cfg.integer(m.batchSize, "batch_size", defaults.batchSize()),
                    cfg.integer(m.epochs, "epochs", defaults.epochs()),
                    cfg.integer(w.pretrainEpochs, "pretrain_epochs", defaults.pretrainEpochs()),
                    cfg.longValue(m.seed, "seed", defaults.seed()));
        } catch (IllegalArgumentException e) {
            throw ModelOptions.inOptionTerms(e);
        }
    }
}
