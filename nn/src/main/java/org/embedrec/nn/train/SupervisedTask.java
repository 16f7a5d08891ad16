package org.embedrec.nn.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Module;
import org.embedrec.nn.losses.Loss;

/** The plain supervised task: {@code loss(model(x), y)}, with optional accuracy on validation. */
public final class SupervisedTask implements TrainingTask<TensorDataset.Batch> {
    private static final int EVAL_BATCH = 4096;
    private final Layer model;
    private final Loss loss;
    private final Accuracy accuracy;

    public SupervisedTask(Layer model, Loss loss) {
        this(model, loss, null);
    }

    /** With {@code accuracy} reported as "accuracy" by {@link #evaluate}; null for none. */
    public SupervisedTask(Layer model, Loss loss, Accuracy accuracy) {
        this.model = model;
        this.loss = loss;
        this.accuracy = accuracy;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Tensor loss(TensorDataset.Batch batch) {
        return loss.compute(model.apply(batch.x()), batch.y());
    }

    @Override
    public Map<String, Double> evaluate(Dataset<TensorDataset.Batch> data) {
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int to = Math.min(n, from + EVAL_BATCH);
            TensorDataset.Batch b = data.batch(order, from, to);
            Tensor predictions = model.apply(b.x());
            lossSum += loss.compute(predictions, b.y()).item() * (to - from);
            if (accuracy != null) {
                correct += accuracy.countCorrect(predictions, b.y());
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossSum / n);
        if (accuracy != null) {
            metrics.put("accuracy", (double) correct / n);
        }
        return metrics;
    }

    /** The model's predictions for {@code x}, in inference mode. */
    public Tensor predict(Tensor x) {
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        try {
            return model.apply(x);
        } finally {
            model.setTraining(wasTraining);
        }
    }
}
