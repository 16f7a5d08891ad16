package org.embedrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.retrieval.TwoTowerSpecs;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;

/**
 * {@code embedrec train --model two-tower}: the TensorFlow Recommenders "deep recommenders"
 * tutorial, as the shipped {@code two-tower} spec with the model's defaults
 * ({@link TwoTowerConfig#defaults()}, random 80/20 split) and flags written into it
 * ({@link TwoTowerSpecs}), trained on a MovieLens directory or the synthetic data through the
 * spec path ({@link TrainSpec#train}). It computes what the hand-written
 * {@code TwoTowerModel} did, bit for bit. Prints the held-out factorized top-K accuracies;
 * {@code --save} writes a feature-model directory, which {@code evaluate}, {@code recommend} and
 * {@code serve} read.
 */
final class TrainTwoTower {
    static final String MODEL = TwoTowerSpecs.NAME;
    /** The item table's column the preset's title features read. */
    private static final String TITLE = "title";

    private TrainTwoTower() {}

    static int run(TrainCommand cmd, ExperimentConfig cfg) throws IOException {
        if (cmd.save != null && Files.exists(cmd.save) && !Files.isDirectory(cmd.save)) {
            throw new IllegalArgumentException("--save " + cmd.save + ": exists and is not a directory");
        }
        TwoTowerConfig config = config(cmd, cfg);
        FeatureSpec spec = TwoTowerSpecs.of(config);
        FeatureExperiment.Settings settings = FeatureExperiment.Settings.of(spec, config.seed());
        RetrievalOptions r = cmd.retrievalOptions;
        String dataName = cfg.string(cmd.dataOptions.data, "data", "synthetic");
        String splitSpec = cfg.string(cmd.dataOptions.split, "split", "random:0.8");
        int evalSample = cfg.integer(r.evalSample, "eval_sample", 0);
        if (evalSample < 0 || (evalSample == 0 && (r.evalSample != null || cfg.has("eval_sample")))) {
            throw new IllegalArgumentException("--eval-sample " + evalSample + ": expected a number of test users >= 1");
        }

        long loadStart = System.nanoTime();
        RatingsData rows = DataOptions.load(dataName, cfg.string(cmd.dataOptions.onBadLine, "on_bad_line", "fail"),
                cmd.quiet);
        Split split = DataOptions.split(rows, splitSpec, config.seed());
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the test part is empty; the two-tower "
                    + "model reports its accuracy on it");
        }
        int testUsers = split.testUserCount();
        Split evaluated = evalSample > 0 ? split.sampleTestUsers(evalSample, config.seed() ^ 0x5A3D1E5L) : split;
        // "sampled N of M users" wherever a metric is shown, so a quick number is never taken for the full one.
        String sampled = evaluated == split ? "" : String.format(Locale.ROOT, " (sampled: %d of %d test users, %d pairs)",
                evaluated.testUserCount(), testUsers, evaluated.test().size());
        SpecData data = data(spec, rows);
        double readSeconds = (System.nanoTime() - loadStart) / 1e9;
        TrainSpec.Trained trained = TrainSpec.train(cmd, spec, settings, data, evaluated, splitSpec, readSeconds, MODEL,
                MODEL, "Lower the embedding width (--embedding-dim)");

        History history = trained.fitted().history();
        EpochResult last = history.last();
        Map<String, Double> metrics = trained.report().metrics();
        // In the order of K, then the ranking measures and the held-out loss of the last validation.
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (int k : FactorizedTopK.DEFAULT_KS) {
            ordered.put(FactorizedTopK.key(k), metrics.get(FactorizedTopK.key(k)));
        }
        ordered.put("ndcg_at_10", metrics.get("ndcg_at_10"));
        ordered.put("mrr", metrics.get("mrr"));
        if (last.validated()) {
            ordered.put("loss", last.validation().get("loss"));
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s (%s): test%s", MODEL, rows.name(),
                splitSpec, sampled));
        line.append(topK(ordered));
        double evalSeconds = trained.report().timing().get("evaluate_seconds");
        line.append(String.format(Locale.ROOT, "  |  %d epochs, %.2fs training (median epoch %.3fs), %.0f examples/s, "
                        + "evaluation %.2fs", history.epochs().size(), history.trainSeconds(),
                history.medianEpochSeconds(), history.examplesPerSecond(), evalSeconds));
        System.out.println(line);
        if (splitSpec.trim().equals(TrainSequential.SPLIT)) {
            // Beside its own metrics, the sequential models' next-item protocol (seen items excluded).
            Map<String, Double> nextItem = TwoTowerNextItem.evaluate(trained.fitted().model(), trained.prepared(),
                    evaluated, config.seed());
            System.out.printf(Locale.ROOT, "%s on %s (%s, full ranking, seen items excluded): test hr@10 %.4f "
                    + "ndcg@10 %.4f mrr %.4f%n", MODEL, rows.name(), splitSpec, nextItem.get("hr@10"),
                    nextItem.get("ndcg@10"), nextItem.get("mrr"));
            nextItem.forEach((k, v) -> ordered.put("next_item_" + k, v));
        }
        FeatureExperiment.Report report = trained.report();
        TrainSpec.Trained reported = new TrainSpec.Trained(trained.data(), trained.split(), splitSpec, readSeconds,
                trained.prepared(), trained.fitted(), new FeatureExperiment.Report(report.history(), ordered,
                report.timing(), report.provenance()));
        TrainSpec.finish(cmd, reported, MODEL, new ObjectMapper().valueToTree(config), Map.of("preset", MODEL),
                out -> out.evaluation(sampled.isEmpty() ? "full" : "sampled", evaluated.testUserCount(), testUsers)
                        .timing("read_seconds", readSeconds)
                        .timing("evaluation_seconds", evalSeconds));
        return 0;
    }

    /** The spec's data of {@code rows}: their movies' titles, or without movies each item's id as its title. */
    static SpecData data(FeatureSpec spec, RatingsData rows) {
        return SpecData.of(spec, Path.of("").toAbsolutePath(), rows).withIdsAsTitles(spec.data().item(), TITLE);
    }

    /** The printed metrics of a two-tower run: " top_1 x.xxxx ... top_100 x.xxxx ndcg_10 x.xxxx mrr x.xxxx". */
    static String topK(Map<String, Double> metrics) {
        StringBuilder line = new StringBuilder();
        for (int k : FactorizedTopK.DEFAULT_KS) {
            line.append(String.format(Locale.ROOT, " top_%d %.4f", k, metrics.get(FactorizedTopK.key(k))));
        }
        line.append(String.format(Locale.ROOT, " ndcg_10 %.4f mrr %.4f", metrics.get("ndcg_at_10"), metrics.get("mrr")));
        return line.toString();
    }

    /** The model's defaults ({@link TwoTowerConfig#defaults}) with the flags and config keys given. */
    static TwoTowerConfig config(TrainCommand cmd, ExperimentConfig cfg) {
        TwoTowerConfig defaults = TwoTowerConfig.defaults();
        ModelOptions m = cmd.modelOptions;
        RetrievalOptions r = cmd.retrievalOptions;
        try {
            return new TwoTowerConfig(
                    cfg.integer(m.embeddingDim, "embedding_dim", defaults.embeddingDim()),
                    cfg.integers(m.layers, "layers", defaults.layers()),
                    cfg.string(m.optimizer, "optimizer", defaults.optimizer()),
                    cfg.number(m.lr, "lr", defaults.learningRate()),
                    cfg.integer(m.batchSize, "batch_size", defaults.batchSize()),
                    cfg.integer(m.epochs, "epochs", defaults.epochs()),
                    cfg.integer(r.validationFreq, "validation_freq", defaults.validationFreq()),
                    cfg.number(r.temperature, "temperature", defaults.temperature()),
                    cfg.bool(r.logQ, "log_q", defaults.logQCorrection()),
                    cfg.bool(r.removeAccidentalHits, "remove_accidental_hits", defaults.removeAccidentalHits()),
                    cfg.integer(r.negatives, "negatives", defaults.sampledNegatives()),
                    cfg.longValue(m.seed, "seed", defaults.seed()));
        } catch (IllegalArgumentException e) {
            throw ModelOptions.inOptionTerms(e);
        }
    }
}
