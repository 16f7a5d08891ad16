package org.embedrec.models.retrieval;

import java.util.Objects;
import org.embedrec.nn.optim.Optimizers;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.Trainer;

/**
 * Trains a {@link TwoTowerModel} as its {@link TwoTowerConfig} says, in one call: the
 * optimizer by name and learning rate, shuffled batches of {@code batchSize} pairs for
 * {@code epochs} epochs (shuffling seeded by {@code seed}), validation on the held-out pairs
 * every {@code validationFreq} epochs and after the last, through {@link TwoTowerTask}.
 */
public final class TwoTowerTraining {
    private TwoTowerTraining() {}

    /**
     * Trains {@code model} on {@code train}; {@code validation} may be null. The last epoch's
     * validation metrics (when validated) are the final held-out metrics.
     */
    public static History fit(TwoTowerModel model, RetrievalExamples train, RetrievalExamples validation,
                              Callback... callbacks) {
        return fit(model, train, validation, Checkpointing.none(), callbacks);
    }

    /** As {@link #fit(TwoTowerModel, RetrievalExamples, RetrievalExamples, Callback...)}, with checkpoints. */
    public static History fit(TwoTowerModel model, RetrievalExamples train, RetrievalExamples validation,
                              Checkpointing checkpointing, Callback... callbacks) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training data is empty");
        }
        if (validation != null && validation.catalogue() != train.catalogue()) {
            throw new IllegalArgumentException("train and validation pairs must index the same catalogue");
        }
        TwoTowerConfig config = model.config();
        TwoTowerTask task = new TwoTowerTask(model, train);
        Trainer trainer = new Trainer(Optimizers.create(config.optimizer(), config.learningRate()));
        FitConfig fit = FitConfig.of(config.epochs(), config.batchSize())
                .withSeed(config.seed())
                .withValidationFreq(config.validationFreq());
        return trainer.fit(task, train, validation, fit, checkpointing, callbacks);
    }
}
