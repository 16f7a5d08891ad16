package org.embedrec.models.rating;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpoint;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.PartTask;
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

    /** The checkpoint phases of a Wide &amp; Deep run with pre-training: the wide part, the deep part, joint. */
    public static final String PRETRAIN_WIDE = "pretrain_wide";
    public static final String PRETRAIN_DEEP = "pretrain_deep";
    private static final List<String> PHASES = List.of(PRETRAIN_WIDE, PRETRAIN_DEEP, Checkpoint.MAIN_PHASE);

    /**
     * As {@link #fit(RatingTask, RatingModelConfig, RatingExamples, RatingExamples, Callback...)},
     * checkpointing every phase as {@code checkpointing} says: a checkpoint of a pre-training
     * phase holds the whole model and both optimizers' state, and resuming skips the phases
     * before the checkpoint's, whose histories are then absent from the result.
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
        if (model instanceof WideAndDeep wd && config.pretrainEpochs() > 0) {
            // The MultiOptimizer steps only the group whose parameters a phase trains.
            FitConfig phase = FitConfig.of(config.pretrainEpochs(), config.batchSize());
            if (!checkpointing.resumesAfter(PRETRAIN_WIDE, PHASES)) {
                RatingModel wide = wd.wideOnly();
                pretraining.put("wide", trainer.fit(new PartTask<>(task.withModel(wide), wide, wd), train, validation,
                        phase.withSeed(config.seed() + 1), checkpointing.forPhase(PRETRAIN_WIDE)));
            }
            if (!checkpointing.resumesAfter(PRETRAIN_DEEP, PHASES)) {
                RatingModel deep = wd.deepOverWide();
                pretraining.put("deep", trainer.fit(new PartTask<>(task.withModel(deep), deep, wd), train, validation,
                        phase.withSeed(config.seed() + 2), checkpointing.forPhase(PRETRAIN_DEEP)));
            }
        }
        History history = trainer.fit(task, train, validation, joint, checkpointing.forPhase(Checkpoint.MAIN_PHASE),
                callbacks);
        return new Result(history, pretraining);
    }
}
