package org.embedrec.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.GradientClipping;
import org.embedrec.nn.optim.Optimizer;

/**
 * The training loop: for each epoch, shuffle (seeded), and for each batch run the forward
 * pass on a gradient tape, back-propagate, optionally clip, and step the optimizer. Validates
 * every {@code validationFreq} epochs and after the last one. The same seed and data give the
 * same model bit for bit.
 *
 * <p>With {@link Checkpointing}, the loop saves its state every N epochs and can continue from a
 * saved state; a resumed run gives the same weights and history (timings aside) as one that
 * never stopped, on any number of threads. A checkpoint is only written when every weight is
 * finite, so the last one kept is always a good one.
 */
public final class Trainer {
    private final Optimizer optimizer;

    public Trainer(Optimizer optimizer) {
        this.optimizer = optimizer;
    }

    /** Trains without validation data. */
    public <B> History fit(TrainingTask<B> task, Dataset<B> train, FitConfig config, Callback... callbacks) {
        return fit(task, train, null, config, callbacks);
    }

    /**
     * Trains {@code task} on {@code train}; {@code validation} may be null.
     *
     * @throws TrainingDivergedException when a batch's loss is NaN or infinite
     */
    public <B> History fit(TrainingTask<B> task, Dataset<B> train, Dataset<B> validation,
                           FitConfig config, Callback... callbacks) {
        return fit(task, train, validation, config, Checkpointing.none(), callbacks);
    }

    /**
     * Trains as {@link #fit(TrainingTask, Dataset, Dataset, FitConfig, Callback...)} does, saving
     * and resuming as {@code checkpointing} says. The callbacks see the epochs trained in this call;
     * a resumed run calls {@link Callback#onResume} after {@link Callback#onTrainBegin}.
     *
     * @throws TrainingDivergedException when a batch's loss is NaN or infinite, or when a weight
     *     is at the end of an epoch due for a checkpoint (which is then not written)
     * @throws IllegalArgumentException when the checkpoint to resume from does not fit this run
     */
    public <B> History fit(TrainingTask<B> task, Dataset<B> train, Dataset<B> validation,
                           FitConfig config, Checkpointing checkpointing, Callback... callbacks) {
        int n = train.size();
        if (n == 0) {
            throw new IllegalArgumentException("the training data is empty");
        }
        Module model = task.model();
        List<Parameter> params = model.parameters();
        int steps = (n + config.batchSize() - 1) / config.batchSize();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng shuffler = new Rng(config.seed());
        List<Callback> hooks = List.of(callbacks);
        RunState state = new RunState(task, optimizer, order, shuffler, train, hooks);
        History history = new History();
        Checkpoint resumed = checkpointing.resumeFrom();
        if (resumed != null) {
            if (!resumed.phase().equals(checkpointing.phase())) {
                throw new IllegalArgumentException("the checkpoint was taken in training phase '" + resumed.phase()
                        + "', this run continues phase '" + checkpointing.phase() + "'");
            }
            if (resumed.epochsDone() > config.epochs()) {
                throw new IllegalArgumentException("the checkpoint is after epoch " + resumed.epochsDone()
                        + ", but this run trains " + config.epochs() + " epochs");
            }
            state.restore(resumed.state());
            history = resumed.history().copy();
        }
        int firstEpoch = resumed == null ? 1 : resumed.epochsDone() + 1;
        for (Callback c : hooks) {
            c.onTrainBegin(config.epochs(), steps);
            if (resumed != null) {
                c.onResume(resumed.epochsDone());
            }
        }
        for (int epoch = firstEpoch; epoch <= config.epochs() && !history.stoppedEarly(); epoch++) {
            model.setTraining(true);
            if (config.shuffle()) {
                shuffler.shuffle(order);
            }
            long start = System.nanoTime();
            double lossSum = 0;
            for (int step = 0; step < steps; step++) {
                int from = step * config.batchSize();
                int to = Math.min(n, from + config.batchSize());
                double loss = trainStep(task, train.batch(order, from, to), params, config, epoch, step + 1, steps);
                lossSum += loss * (to - from);
                for (Callback c : hooks) {
                    c.onBatchEnd(epoch, step + 1, loss);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> metrics = Map.of();
            double validationSeconds = 0;
            boolean validate = validation != null
                    && (epoch % config.validationFreq() == 0 || epoch == config.epochs());
            if (validate) {
                long vStart = System.nanoTime();
                metrics = evaluate(task, validation);
                validationSeconds = (System.nanoTime() - vStart) / 1e9;
            }
            EpochResult result = new EpochResult(epoch, lossSum / n, seconds, validationSeconds, n, metrics);
            history.add(result);
            boolean go = true;
            for (Callback c : hooks) {
                go &= c.onEpochEnd(result);
            }
            if (!go && epoch < config.epochs()) {
                history.markStoppedEarly();
            }
            if (checkpointing.store() != null && epoch % checkpointing.everyEpochs() == 0) {
                saveCheckpoint(checkpointing, state, epoch, history);
            }
            if (!go) {
                break;
            }
        }
        model.setTraining(false);
        for (Callback c : hooks) {
            c.onTrainEnd(history);
        }
        return history;
    }

    private static void saveCheckpoint(Checkpointing checkpointing, RunState state, int epoch, History history) {
        String where = Checkpoint.position(epoch, checkpointing.phase());
        String bad = RunState.firstNonFinite(state.model());
        if (bad != null) {
            throw new TrainingDivergedException("training diverged: parameter '" + bad + "' holds NaN or infinite "
                    + "values " + where + " (try a lower learning rate or gradient clipping)", epoch, 0);
        }
        try {
            checkpointing.store().save(new Checkpoint(epoch, history.copy(), state.capture(), checkpointing.phase()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + where + ": " + e.getMessage(), e);
        }
    }

    /** Metrics of {@code task} on {@code data} in inference mode. */
    public static <B> Map<String, Double> evaluate(TrainingTask<B> task, Dataset<B> data) {
        Module model = task.model();
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        try {
            return task.evaluate(data);
        } finally {
            model.setTraining(wasTraining);
        }
    }

    private <B> double trainStep(TrainingTask<B> task, B batch, List<Parameter> params,
                                 FitConfig config, int epoch, int step, int steps) {
        for (Parameter p : params) {
            p.zeroGrad();
        }
        double lossValue;
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = task.loss(batch);
            lossValue = loss.item();
            if (!Double.isFinite(lossValue)) {
                throw new TrainingDivergedException(epoch, step, steps, lossValue);
            }
            tape.backward(loss);
        }
        if (config.clipNorm() > 0f) {
            GradientClipping.clipByGlobalNorm(params, config.clipNorm());
        }
        optimizer.step(params);
        return lossValue;
    }
}
