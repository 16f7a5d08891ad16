package org.embedrec.nn.train;

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
        History history = new History();
        List<Callback> hooks = List.of(callbacks);
        for (Callback c : hooks) {
            c.onTrainBegin(config.epochs(), steps);
        }
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            model.setTraining(true);
            if (config.shuffle()) {
                shuffler.shuffle(order);
            }
            long start = System.nanoTime();
            double lossSum = 0;
            for (int step = 0; step < steps; step++) {
                int from = step * config.batchSize();
                int to = Math.min(n, from + config.batchSize());
                double loss = trainStep(task, train.batch(order, from, to), params, config, epoch, step + 1);
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
            if (!go) {
                if (epoch < config.epochs()) {
                    history.markStoppedEarly();
                }
                break;
            }
        }
        model.setTraining(false);
        for (Callback c : hooks) {
            c.onTrainEnd(history);
        }
        return history;
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
                                 FitConfig config, int epoch, int step) {
        for (Parameter p : params) {
            p.zeroGrad();
        }
        double lossValue;
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = task.loss(batch);
            lossValue = loss.item();
            if (!Double.isFinite(lossValue)) {
                throw new TrainingDivergedException(epoch, step, lossValue);
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
