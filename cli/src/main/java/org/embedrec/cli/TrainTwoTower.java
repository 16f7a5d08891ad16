package org.embedrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.DataFingerprint;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.engine.Rng;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.recommend.UserHistory;
import org.embedrec.models.retrieval.RetrievalData;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.retrieval.TwoTowerModel;
import org.embedrec.models.retrieval.TwoTowerTask;
import org.embedrec.models.retrieval.TwoTowerTraining;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.EpochLogger;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.Trainer;
import org.embedrec.nn.train.TrainingDivergedException;

/**
 * {@code embedrec train --model two-tower}: the TensorFlow Recommenders "deep recommenders"
 * tutorial. Defaults are its protocol ({@link TwoTowerConfig#defaults()}, random 80/20 split);
 * prints the held-out factorized top-K accuracies, which are the last epoch's validation.
 */
final class TrainTwoTower {
    static final String MODEL = "two-tower";

    private TrainTwoTower() {}

    static int run(TrainCommand cmd, ExperimentConfig cfg) throws IOException {
        if (cmd.save != null && Files.exists(cmd.save) && !Files.isDirectory(cmd.save)) {
            throw new IllegalArgumentException("--save " + cmd.save + ": exists and is not a directory");
        }
        TwoTowerConfig defaults = TwoTowerConfig.defaults();
        ModelOptions m = cmd.modelOptions;
        RetrievalOptions r = cmd.retrievalOptions;
        long seed = cfg.longValue(m.seed, "seed", defaults.seed());
        TwoTowerConfig config;
        try {
            config = new TwoTowerConfig(
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
                    seed);
        } catch (IllegalArgumentException e) {
            throw ModelOptions.inOptionTerms(e);
        }
        String dataName = cfg.string(cmd.dataOptions.data, "data", "synthetic");
        String splitSpec = cfg.string(cmd.dataOptions.split, "split", "random:0.8");

        long loadStart = System.nanoTime();
        RatingsData data = DataOptions.load(dataName, cfg.string(cmd.dataOptions.onBadLine, "on_bad_line", "fail"),
                cmd.quiet);
        double readSeconds = (System.nanoTime() - loadStart) / 1e9;
        Split split = DataOptions.split(data, splitSpec, seed);
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the test part is empty; the two-tower "
                    + "model reports its accuracy on it");
        }
        int evalSample = cfg.integer(r.evalSample, "eval_sample", 0);
        if (evalSample < 0 || (evalSample == 0 && (r.evalSample != null || cfg.has("eval_sample")))) {
            throw new IllegalArgumentException("--eval-sample " + evalSample + ": expected a number of test users >= 1");
        }
        int testUsers = split.testUserCount();
        Split evaluated = evalSample > 0 ? split.sampleTestUsers(evalSample, seed ^ 0x5A3D1E5L) : split;
        // "sampled N of M users" wherever a metric is shown, so a quick number is never taken for the full one.
        String sampled = evaluated == split ? "" : String.format(Locale.ROOT, " (sampled: %d of %d test users, %d pairs)",
                evaluated.testUserCount(), testUsers, evaluated.test().size());
        RetrievalData prepared = RetrievalData.prepare(data, evaluated);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        if (!cmd.quiet) {
            System.out.printf(Locale.ROOT, "%s: %d interactions, %d users, %d items; split %s: %d train, %d test; "
                            + "catalogue of %d items (%.2fs, of which reading %.2fs)%n",
                    data.name(), data.interactions().size(), data.interactions().numUsers(),
                    data.interactions().numItems(), splitSpec, prepared.train().size(), prepared.test().size(),
                    prepared.catalogue().size(), loadSeconds, readSeconds);
        }

        Checkpointing checkpointing = cmd.checkpointOptions.prepare(CheckpointOptions.run(MODEL,
                new ObjectMapper().valueToTree(config), splitSpec, split, new DataFingerprint().addSideTables(data)),
                cmd.quiet);
        TwoTowerModel model = new TwoTowerModel(prepared.queryFeatures(), prepared.candidateFeatures(), config,
                new Rng(seed));
        List<Callback> callbacks = new ArrayList<>();
        if (ProgressBarCallback.wanted(cmd.quiet)) {
            callbacks.add(new ProgressBarCallback("train " + MODEL, config.batchSize()));
        } else if (!cmd.quiet) {
            callbacks.add(new EpochLogger(System.out));
        }
        History history;
        try {
            history = TwoTowerTraining.fit(model, prepared.train(), prepared.test(), checkpointing,
                    callbacks.toArray(Callback[]::new));
        } catch (TrainingDivergedException e) {
            throw cmd.checkpointOptions.diverged(e);
        }
        EpochResult last = history.last();
        Map<String, Double> metrics = last.validation();
        double evalSeconds = last.validationSeconds();
        if (!last.validated()) {
            // Only when a callback stopped training early: the trainer validates the last epoch otherwise.
            long evalStart = System.nanoTime();
            metrics = Trainer.evaluate(new TwoTowerTask(model, prepared.train()), prepared.test());
            evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        }
        // Map.copyOf in EpochResult loses the order: report the metrics in the order of K.
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (int k : FactorizedTopK.DEFAULT_KS) {
            ordered.put(FactorizedTopK.key(k), metrics.get(FactorizedTopK.key(k)));
        }
        ordered.put("ndcg_at_10", metrics.get("ndcg_at_10"));
        ordered.put("mrr", metrics.get("mrr"));
        ordered.put("loss", metrics.get("loss"));

        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s (%s): test%s", MODEL, data.name(),
                splitSpec, sampled));
        for (int k : FactorizedTopK.DEFAULT_KS) {
            line.append(String.format(Locale.ROOT, " top_%d %.4f", k, ordered.get(FactorizedTopK.key(k))));
        }
        line.append(String.format(Locale.ROOT, " ndcg_10 %.4f mrr %.4f", ordered.get("ndcg_at_10"), ordered.get("mrr")));
        line.append(String.format(Locale.ROOT, "  |  %d epochs, %.2fs training (median epoch %.3fs), %.0f examples/s, "
                        + "evaluation %.2fs", history.epochs().size(), history.trainSeconds(),
                history.medianEpochSeconds(), history.examplesPerSecond(), evalSeconds));
        System.out.println(line);
        if (splitSpec.trim().equals(TrainSequential.SPLIT)) {
            // Beside its own metrics, the sequential models' next-item protocol (seen items excluded).
            Map<String, Double> nextItem = TwoTowerNextItem.evaluate(model, prepared.catalogue(), split, seed);
            System.out.printf(Locale.ROOT, "%s on %s (%s, full ranking, seen items excluded): test hr@10 %.4f "
                    + "ndcg@10 %.4f mrr %.4f%n", MODEL, data.name(), splitSpec, nextItem.get("hr@10"),
                    nextItem.get("ndcg@10"), nextItem.get("mrr"));
            nextItem.forEach((k, v) -> ordered.put("next_item_" + k, v));
        }

        if (cmd.report != null) {
            new RunReport("train", MODEL)
                    .dataset(data.name(), data.interactions().size(), data.interactions().numUsers(),
                            data.interactions().numItems())
                    .split(splitSpec, prepared.train().size(), prepared.test().size())
                    .evaluation(sampled.isEmpty() ? "full" : "sampled", evaluated.testUserCount(), testUsers)
                    .config(new ObjectMapper().valueToTree(config))
                    .history(history)
                    .metrics(ordered)
                    .timing("load_seconds", loadSeconds)
                    .timing("read_seconds", readSeconds)
                    .timing("evaluation_seconds", evalSeconds)
                    .write(cmd.report);
        }
        if (cmd.plot != null) {
            LearningCurves.write(cmd.plot, MODEL + " on " + data.name(), history);
        }
        if (cmd.save != null) {
            // What recommend needs: the model, the catalogue and its embeddings, and each user's training history.
            TwoTowerRecommender recommender = TwoTowerRecommender.build(model, prepared.catalogue(),
                    UserHistory.of(split.train()));
            TwoTowerModelFiles.save(cmd.save, recommender, data.name(), splitSpec);
            System.out.println("saved to " + cmd.save);
        }
        return 0;
    }
}
