package org.embedrec.models.rating;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.Trainer;

/**
 * Trains a rating model as its {@link RatingModelConfig} says, in one call: sets the global
 * bias from the training data ({@link RatingTask#adapt}) and, for {@link MatrixFactorization}, the
 * row counts its L2 weighting uses ({@link MatrixFactorization#adaptRowCounts}), builds the optimizer(s)
 * ({@link RatingModels#optimizerFor}), and runs {@link Trainer#fit}. For {@link WideAndDeep}
 * with {@code pretrainEpochs > 0} it first trains the wide part alone
 * ({@link WideAndDeep#wideOnly()}), then the deep part on the wide part's residual
 * ({@link WideAndDeep#deepOverWide()}), then both jointly; the same optimizer instances carry
 * over, so each part's optimizer state continues into the joint phase.
 */
public final class RatingTraining {
    private RatingTraining() {}

    /** The joint (or only) phase's history, and the pre-training phases' by name ({@code "wide"}, {@code "deep"}). */
    public record Result(History history, Map<String, History> pretraining) {
        public Result {
            pretraining = Collections.unmodifiableMap(new LinkedHashMap<>(pretraining));
        }
    }

    /**
     * Trains {@code model} with squared error on {@code train}, predictions clipped to the
     * training ratings' range when validated; {@code validation} may be null.
     */
    public static Result fit(RatingModel model, RatingModelConfig config, RatingExamples train,
                             RatingExamples validation, Callback... callbacks) {
        return fit(model, config, train, validation, Checkpointing.none(), callbacks);
    }

    /** As {@link #fit(RatingModel, RatingModelConfig, RatingExamples, RatingExamples, Callback...)}, with checkpoints. */
    public static Result fit(RatingModel model, RatingModelConfig config, RatingExamples train,
                             RatingExamples validation, Checkpointing checkpointing, Callback... callbacks) {
        Objects.requireNonNull(train, "train");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training data is empty");
        }
        float lo = train.minRating();
        float hi = train.maxRating();
        RatingTask task = lo < hi ? RatingTask.regression(model, lo, hi) : RatingTask.regression(model);
        return fit(task, config, train, validation, checkpointing, callbacks);
    }

    /**
     * Trains {@code task}'s model on {@code train} as {@code config} says; {@code validation}
     * may be null. The callbacks see the joint phase only.
     */
    public static Result fit(RatingTask task, RatingModelConfig config, RatingExamples train,
                             RatingExamples validation, Callback... callbacks) {
        return fit(task, config, train, validation, Checkpointing.none(), callbacks);
    }

    /**
     * As {@link #fit(RatingTask, RatingModelConfig, RatingExamples, RatingExamples, Callback...)},
     * checkpointing the joint phase as {@code checkpointing} says. Resuming skips Wide &amp; Deep's
     * pre-training, whose effect (weights, both optimizers' state) the checkpoint holds, so the
     * result's pre-training histories are then empty.
     */
    public static Result fit(RatingTask task, RatingModelConfig config, RatingExamples train,
                             RatingExamples validation, Checkpointing checkpointing, Callback... callbacks) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(train, "train");
        RatingModel model = task.model();
        task.adapt(train);
        if (model instanceof MatrixFactorization mf) {
            mf.adaptRowCounts(train);
        }
        Optimizer optimizer = RatingModels.optimizerFor(model, config);
        Trainer trainer = new Trainer(optimizer);
        FitConfig joint = FitConfig.of(config.epochs(), config.batchSize()).withSeed(config.seed());
        Map<String, History> pretraining = new LinkedHashMap<>();
        if (model instanceof WideAndDeep wd && config.pretrainEpochs() > 0 && checkpointing.resumeFrom() == null) {
            // The MultiOptimizer steps only the group whose parameters a phase trains.
            FitConfig phase = FitConfig.of(config.pretrainEpochs(), config.batchSize());
            pretraining.put("wide", trainer.fit(task.withModel(wd.wideOnly()), train, validation,
                    phase.withSeed(config.seed() + 1)));
            pretraining.put("deep", trainer.fit(task.withModel(wd.deepOverWide()), train, validation,
                    phase.withSeed(config.seed() + 2)));
        }
        History history = trainer.fit(task, train, validation, joint, checkpointing, callbacks);
        return new Result(history, pretraining);
    }
}
