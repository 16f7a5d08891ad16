package org.embedrec.models.rating;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;
import org.embedrec.metrics.AUC;
import org.embedrec.metrics.MeanAbsoluteError;
import org.embedrec.metrics.RootMeanSquaredError;
import org.embedrec.nn.train.Dataset;
import org.embedrec.nn.train.TrainingTask;
import org.embedrec.tasks.Ranking;
import org.embedrec.tasks.Ranking.Objective;

/**
 * What {@link org.embedrec.nn.train.Trainer} runs to train a {@link RatingModel}: the model's
 * forward pass, the tensor-only {@link org.embedrec.tasks.Ranking} task for its loss, and
 * evaluation over a whole data set, as a TensorFlow Recommenders model's {@code compute_loss}
 * does with {@code tfrs.tasks.Ranking}.
 *
 * <p>Loss: with {@link Objective#SQUARED_ERROR}, the mean squared error
 * {@code (1/B) sum (r_hat - r)^2}; with {@link Objective#BINARY_CROSS_ENTROPY}, the model's
 * output is a logit and the loss is the mean of
 * {@code max(x, 0) - x y + log(1 + exp(-|x|))} against 0/1 labels. The model's penalty (lazy
 * L2, if any) is added to the training loss.
 *
 * <p>{@link #evaluate} returns {@code "loss"} (the objective without the penalty, on unclipped
 * outputs), {@code "rmse"} and {@code "mae"}; for squared error these are computed on
 * predictions clipped to the rating range {@code [min, max]} when one is given (a prediction
 * of 5.3 on a 1..5 scale is scored as 5, the usual MovieLens practice); for cross-entropy on
 * the probabilities {@code sigmoid(x)}, and {@code "auc"} is added.
 */
public final class RatingTask implements TrainingTask<RatingBatch> {
    private static final int EVAL_BATCH = 8192;

    private final RatingModel model;
    private final Ranking ranking;
    private final Objective objective;
    private final float minRating;
    private final float maxRating;

    private RatingTask(RatingModel model, Objective objective, float minRating, float maxRating) {
        this.model = Objects.requireNonNull(model, "model");
        this.objective = objective;
        this.ranking = objective == Objective.SQUARED_ERROR ? Ranking.regression() : Ranking.binary();
        this.minRating = minRating;
        this.maxRating = maxRating;
    }

    /** Squared error, predictions scored unclipped. */
    public static RatingTask regression(RatingModel model) {
        return new RatingTask(model, Objective.SQUARED_ERROR, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** Squared error, predictions clipped to {@code [minRating, maxRating]} when scored. */
    public static RatingTask regression(RatingModel model, float minRating, float maxRating) {
        if (!(minRating < maxRating) || Float.isNaN(minRating) || Float.isNaN(maxRating)) {
            throw new IllegalArgumentException("rating range must have min < max, got [" + minRating + ", "
                    + maxRating + "]");
        }
        return new RatingTask(model, Objective.SQUARED_ERROR, minRating, maxRating);
    }

    /** Binary cross-entropy on logits, against 0/1 labels held in the ratings column. */
    public static RatingTask binary(RatingModel model) {
        return new RatingTask(model, Objective.BINARY_CROSS_ENTROPY, 0f, 1f);
    }

    /** The same objective and rating range, over another model (a part of this one, say). */
    public RatingTask withModel(RatingModel other) {
        return new RatingTask(other, objective, minRating, maxRating);
    }

    public Objective objective() {
        return objective;
    }

    @Override
    public RatingModel model() {
        return model;
    }

    /**
     * Sets the model's global bias to the best constant for this objective on {@code train}:
     * the mean rating for squared error, the log-odds of the positive rate for cross-entropy.
     */
    public void adapt(RatingExamples train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("cannot adapt the global bias to empty training data");
        }
        double mean = train.meanRating();
        if (objective == Objective.SQUARED_ERROR) {
            model.setGlobalBias((float) mean);
        } else {
            double p = Math.min(Math.max(mean, 1e-6), 1 - 1e-6);
            model.setGlobalBias((float) Math.log(p / (1 - p)));
        }
    }

    @Override
    public Tensor loss(RatingBatch batch) {
        RatingModel.Output out = model.forward(batch);
        Tensor data = dataLoss(out.predictions(), batch.targets());
        return out.penalty() == null ? data : Ops.add(data, out.penalty());
    }

    private Tensor dataLoss(Tensor predictions, Tensor targets) {
        return ranking.loss(predictions, targets);
    }

    @Override
    public Map<String, Double> evaluate(Dataset<RatingBatch> data) {
        int n = data.size();
        if (n == 0) {
            throw new IllegalArgumentException("cannot evaluate on empty data");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        RootMeanSquaredError rmse = new RootMeanSquaredError();
        MeanAbsoluteError mae = new MeanAbsoluteError();
        AUC auc = objective == Objective.BINARY_CROSS_ENTROPY ? new AUC() : null;
        double lossSum = 0;
        try {
            for (int from = 0; from < n; from += EVAL_BATCH) {
                int to = Math.min(n, from + EVAL_BATCH);
                RatingBatch batch = data.batch(order, from, to);
                Tensor predictions = model.predict(batch);
                lossSum += (double) dataLoss(predictions, batch.targets()).item() * (to - from);
                float[] scored = scored(predictions.data());
                rmse.update(scored, batch.ratings());
                mae.update(scored, batch.ratings());
                if (auc != null) {
                    auc.update(predictions.data(), batch.ratings());
                }
            }
        } finally {
            model.setTraining(wasTraining);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossSum / n);
        metrics.put("rmse", rmse.result());
        metrics.put("mae", mae.result());
        if (auc != null) {
            metrics.put("auc", auc.result());
        }
        return metrics;
    }

    /** What the metrics compare with the targets: clipped ratings, or probabilities. */
    private float[] scored(float[] outputs) {
        float[] s = new float[outputs.length];
        for (int i = 0; i < s.length; i++) {
            float x = outputs[i];
            s[i] = objective == Objective.SQUARED_ERROR
                    ? Math.min(Math.max(x, minRating), maxRating)
                    : (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        return s;
    }
}
