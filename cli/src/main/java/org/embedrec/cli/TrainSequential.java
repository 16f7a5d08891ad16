package org.embedrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.RatingsData;
import org.embedrec.experiment.SplitSpec;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.models.sequential.NextItemEvaluation;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.NextItemScorer;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.PopularityModel;
import org.embedrec.models.sequential.SasRecInit;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialMemory;
import org.embedrec.models.sequential.SequentialModels;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.EpochLogger;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.TrainingDivergedException;

/**
 * {@code embedrec train --model gru4rec|sasrec|pop}: next-item recommendation under the
 * leave-last-out protocol (the only split these models take): trains on each user's sequence
 * without its last two items, validates on the second to last, and reports the full-ranking
 * HR@K, NDCG@K and MRR of the last item, the sampled variant beside them. {@code --save DIR}
 * writes the model with each user's history ({@link SequentialModelFiles}) for {@code recommend},
 * {@code evaluate} and {@code serve}. gru4rec and sasrec checkpoint and resume at epoch boundaries
 * as every trained model does ({@link CheckpointOptions}); pop trains no epochs and refuses them.
 */
final class TrainSequential {
    static final List<String> MODELS = List.of("gru4rec", "sasrec", PopularityModel.NAME);
    static final String SPLIT = new SplitSpec.LeaveLastOut().toString();
    /** Epochs between validations when neither --validation-freq nor the config file sets it. */
    static final int VALIDATION_FREQ = 5;

    private TrainSequential() {}

    static int run(TrainCommand cmd, ExperimentConfig cfg, String name) throws IOException {
        if (cmd.save != null && Files.exists(cmd.save) && !Files.isDirectory(cmd.save)) {
            throw new IllegalArgumentException("--save " + cmd.save + ": exists and is not a directory");
        }
        String splitSpec = cfg.string(cmd.dataOptions.split, "split", SPLIT);
        if (!splitSpec.trim().equals(SPLIT)) {
            throw new IllegalArgumentException("--split " + splitSpec + ": --model " + name + " is evaluated under "
                    + SPLIT + " only (each user's last item to test, the one before to validation)");
        }
        CheckpointOptions checkpoints = cmd.checkpointOptions;
        if (name.equals(PopularityModel.NAME)
                && (checkpoints.checkpointDir != null || checkpoints.every != null || checkpoints.resume != null)) {
            // Refused rather than ignored: a user who asked for checkpoints must not look for one after a crash.
            throw new IllegalArgumentException("--checkpoint-dir, --checkpoint-every, --resume: --model pop counts the "
                    + "training items in one pass and has no epochs to checkpoint");
        }
        SequentialConfig config = name.equals(PopularityModel.NAME) ? null : config(cmd, cfg, name);
        long seed = config == null ? cfg.longValue(cmd.modelOptions.seed, "seed", 42L) : config.seed();
        String dataName = cfg.string(cmd.dataOptions.data, "data", "synthetic");

        long loadStart = System.nanoTime();
        RatingsData data = DataOptions.load(dataName, cfg.string(cmd.dataOptions.onBadLine, "on_bad_line", "fail"),
                cmd.quiet);
        NextItemSplit split = NextItemSplit.leaveLastOut(data.interactions());
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--data " + dataName + ": no user has two interactions, so "
                    + SPLIT + " leaves nothing to test");
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        if (!cmd.quiet) {
            System.out.printf(Locale.ROOT, "%s: %d interactions, %d users, %d items; split %s: %d test users, "
                            + "%d validation users (%.2fs)%n", data.name(), data.interactions().size(),
                    data.interactions().numUsers(), data.interactions().numItems(), SPLIT, split.test().size(),
                    split.validation().size(), loadSeconds);
        }

        NextItemScorer scorer;
        History history = null;
        int keptEpoch = 0;
        if (config == null) {
            scorer = PopularityModel.fit(split.train());
        } else {
            List<Callback> callbacks = new ArrayList<>();
            if (ProgressBarCallback.wanted(cmd.quiet)) {
                callbacks.add(new ProgressBarCallback("train " + name, config.batchSize()));
            } else if (!cmd.quiet) {
                callbacks.add(new EpochLogger(System.out));
            }
            int validationFreq = cfg.integer(cmd.retrievalOptions.validationFreq, "validation_freq", VALIDATION_FREQ);
            if (validationFreq < 1) {
                throw new IllegalArgumentException("--validation-freq must be at least 1 epoch, got " + validationFreq);
            }
            SequentialMemory.requireFits(config, split.train(), Runtime.getRuntime().maxMemory(),
                    "Lower --batch-size, --max-length or --embedding-dim, or use --loss sampled-softmax");
            ObjectNode runConfig = new ObjectMapper().valueToTree(config);
            runConfig.put("validation_freq", validationFreq);
            Checkpointing checkpointing = checkpoints.prepare(CheckpointOptions.run(name, runConfig, SPLIT,
                    data.interactions()), cmd.quiet);
            SequentialModels.Result result;
            try {
                result = SequentialModels.fit(config, split, validationFreq, checkpointing,
                        callbacks.toArray(Callback[]::new));
            } catch (TrainingDivergedException e) {
                throw checkpoints.diverged(e);
            }
            scorer = result.model();
            history = result.history();
            keptEpoch = result.keptEpoch();
        }
        long evalStart = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>(NextItemEvaluation.evaluate(scorer, split.test(), seed));
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

        StringBuilder line = metricsLine(name, data.name(), metrics);
        if (history != null) {
            line.append(String.format(Locale.ROOT, "  |  %d epochs, %.2fs training (median epoch %.3fs)",
                    history.epochs().size(), history.trainSeconds(), history.medianEpochSeconds()));
            if (keptEpoch != history.epochs().size()) {
                line.append(String.format(Locale.ROOT, ", weights of epoch %d (best validation ndcg@10)", keptEpoch));
            }
        }
        line.append(String.format(Locale.ROOT, ", evaluation %.2fs", evalSeconds));
        System.out.println(line);

        if (cmd.save != null) {
            SequentialModelFiles.save(cmd.save, name, config, scorer, data, metrics, seed);
            System.out.println("saved to " + cmd.save);
        }
        if (cmd.report != null) {
            RunReport report = new RunReport("train", name)
                    .dataset(data.name(), data.interactions().size(), data.interactions().numUsers(),
                            data.interactions().numItems())
                    .split(SPLIT, split.train().numUsers(), split.test().size())
                    .metrics(metrics)
                    .timing("load_seconds", loadSeconds)
                    .timing("evaluation_seconds", evalSeconds);
            if (config != null) {
                report.config(new ObjectMapper().valueToTree(config)).history(history);
            }
            report.write(cmd.report);
        }
        if (cmd.plot != null && history != null) {
            LearningCurves.write(cmd.plot, name + " on " + data.name(), history);
        }
        return 0;
    }

    /** The test metrics as train prints them (and evaluate, so that the two can be compared by eye or by diff). */
    static StringBuilder metricsLine(String name, String dataName, Map<String, Double> metrics) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s (%s, full ranking): test", name,
                dataName, SPLIT));
        for (String key : List.of("hr@1", "hr@5", "hr@10", "hr@20", "ndcg@10", "mrr")) {
            line.append(String.format(Locale.ROOT, " %s %.4f", key, metrics.get(key)));
        }
        line.append(String.format(Locale.ROOT, "  |  sampled (100 negatives) hr@10 %.4f ndcg@10 %.4f",
                metrics.get("sampled_hr@10"), metrics.get("sampled_ndcg@10")));
        return line;
    }

    private static SequentialConfig config(TrainCommand cmd, ExperimentConfig cfg, String name) {
        SequentialConfig d = SequentialConfig.defaults(name);
        ModelOptions m = cmd.modelOptions;
        SequentialOptions s = cmd.sequentialOptions;
        if (m.optimizer != null || cfg.has("optimizer")) {
            throw new IllegalArgumentException("--optimizer does not apply to " + name + ": it trains with Adam, as "
                    + "SASRec's reference does (set --lr)");
        }
        List<Integer> layers = cfg.integers(m.layers, "layers", List.of(d.layers()));
        if (layers.size() != 1) {
            throw new IllegalArgumentException("--layers for " + name + " is one number, the "
                    + (name.equals("sasrec") ? "self-attention blocks" : "GRU layers") + ", got " + layers);
        }
        try {
            return new SequentialConfig(name,
                cfg.integer(m.embeddingDim, "embedding_dim", d.embeddingDim()),
                layers.get(0),
                cfg.integer(s.heads, "heads", d.heads()),
                cfg.integer(s.maxLength, "max_length", d.maxLength()),
                cfg.number(cmd.ratingOptions.dropout, "dropout", (float) d.dropout()),
                cfg.number(m.lr, "lr", (float) d.learningRate()),
                cfg.integer(m.batchSize, "batch_size", d.batchSize()),
                cfg.integer(m.epochs, "epochs", d.epochs()),
                NextItemLoss.parse(cfg.string(s.loss, "loss", d.loss().label())),
                cfg.integer(s.sampled, "sampled", d.sampledNegatives()),
                cfg.longValue(m.seed, "seed", d.seed()),
                cfg.integer(s.patience, "patience", d.patience()),
                cfg.bool(s.excludeSeen, "exclude_seen", d.excludeSeen()),
                SasRecInit.parse(cfg.string(s.init, "init", d.init().label())));
        } catch (IllegalArgumentException e) {
            throw inOptionTerms(name, e);
        }
    }

    /** The configuration's field names, as the command line spells them. */
    private static final Map<String, String> OPTION_OF_FIELD = Map.ofEntries(
            Map.entry("embedding_dim", "--embedding-dim"), Map.entry("layers", "--layers"), Map.entry("heads", "--heads"),
            Map.entry("max_length", "--max-length"), Map.entry("dropout", "--dropout"), Map.entry("lr", "--lr"),
            Map.entry("batch_size", "--batch-size"), Map.entry("epochs", "--epochs"),
            Map.entry("sampled_negatives", "--sampled"), Map.entry("patience", "--patience"),
            Map.entry("exclude_seen", "--exclude-seen"), Map.entry("init", "--init"));

    /**
     * A configuration's refusal in the words of the command line: "sasrec: heads (3) must divide
     * embedding_dim (16)" becomes "--heads (3) must divide --embedding-dim (16)".
     */
    static IllegalArgumentException inOptionTerms(String model, IllegalArgumentException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith(model + ": ")) {
            message = message.substring(model.length() + 2);
        }
        String translated = message;
        for (Map.Entry<String, String> f : OPTION_OF_FIELD.entrySet()) {
            translated = translated.replaceAll("(?<![\\w-])" + f.getKey() + "(?=[ \\[(])", f.getValue());
        }
        return translated.equals(e.getMessage()) ? e : new IllegalArgumentException(translated, e);
    }
}
