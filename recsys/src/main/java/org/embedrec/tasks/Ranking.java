package org.embedrec.tasks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;
import org.embedrec.metrics.AUC;
import org.embedrec.metrics.BinaryAccuracy;
import org.embedrec.metrics.LogLoss;
import org.embedrec.metrics.MeanAbsoluteError;
import org.embedrec.metrics.RootMeanSquaredError;

/**
 * The ranking task, as {@code tfrs.tasks.Ranking}: a loss and metrics computed from a batch of
 * predictions and their targets, one of each per example, with no model in sight.
 *
 * <p>Loss, optionally weighted per example ({@code sum_i w_i l_i / sum_i w_i}, the plain mean
 * when no weights are given):
 * <ul>
 *   <li>{@link #regression()}: squared error {@code l_i = (p_i - y_i)^2}, so the mean squared
 *       error; {@link #regression(float, float)} trains on the same loss of the unclipped
 *       predictions and clips predictions to {@code [min, max]} for the metrics only (a rating
 *       of 5.3 on a 1..5 scale is scored as 5, the usual MovieLens practice; clipping in the loss
 *       would zero the gradient of every prediction outside the range).</li>
 *   <li>{@link #binary()}: the predictions are <b>logits</b> {@code x}, not probabilities, and
 *       {@code l_i = -(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))} against targets in
 *       {@code [0, 1]}, in the stable form of {@link Ops#sigmoidCrossEntropy} (the default,
 *       {@code fromLogits}, of {@code nn.losses.BinaryCrossEntropy}). A model ending in a sigmoid
 *       should hand over the logit before it: the fused loss stays finite where {@code log(p)}
 *       of a saturated probability would not.</li>
 * </ul>
 *
 * <p>Metrics ({@link #metrics}): RMSE and MAE for regression; AUC, accuracy (logit {@code > 0},
 * i.e. probability {@code > 0.5}) and log-loss for binary, whose targets must then be 0 or 1.
 * Instances are immutable.
 */
public final class Ranking {
    /** What the predictions mean and which loss trains them. */
    public enum Objective { SQUARED_ERROR, BINARY_CROSS_ENTROPY }

    private final Objective objective;
    /** What regression metrics clip predictions to; null for none (and for binary). */
    private final LabelRange range;

    private Ranking(Objective objective, LabelRange range) {
        this.objective = objective;
        this.range = range;
    }

    /** Squared error; metrics on the predictions as they are. */
    public static Ranking regression() {
        return new Ranking(Objective.SQUARED_ERROR, null);
    }

    /**
     * Squared error of the unclipped predictions; metrics on predictions clipped to
     * {@code [min, max]} (finite, {@code min < max}), as {@link LabelRange#clip} clips them.
     */
    public static Ranking regression(float min, float max) {
        if (!(min < max) || !Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("Ranking: range [" + min + ", " + max + "], expected finite min < max");
        }
        return new Ranking(Objective.SQUARED_ERROR, new LabelRange(min, max));
    }

    /** Binary cross-entropy of logits against targets in {@code [0, 1]}. */
    public static Ranking binary() {
        return new Ranking(Objective.BINARY_CROSS_ENTROPY, null);
    }

    public Objective objective() {
        return objective;
    }

    /**
     * The range regression metrics clip predictions to (the training labels' range, saved with
     * the model so that served ratings are clipped alike), or null when they score predictions
     * as they are; always null for {@link #binary()}.
     */
    public LabelRange labelRange() {
        return range;
    }

    /** The mean loss of {@code predictions [B]} or {@code [B, 1]} against {@code targets} of either shape. */
    public Tensor loss(Tensor predictions, Tensor targets) {
        return Ops.mean(losses(predictions, targets));
    }

    /**
     * The weighted mean loss {@code sum_i w_i l_i / sum_i w_i}: {@code sampleWeights} has one
     * value per example, each finite and {@code >= 0}, not all zero.
     */
    public Tensor loss(Tensor predictions, Tensor targets, float[] sampleWeights) {
        return SampleWeights.weightedMean("Ranking", losses(predictions, targets), sampleWeights);
    }

    /** The per-example losses, of the predictions' shape. */
    private Tensor losses(Tensor predictions, Tensor targets) {
        Objects.requireNonNull(predictions, "Ranking: predictions");
        Objects.requireNonNull(targets, "Ranking: targets");
        int[] p = predictions.shape();
        if (!isColumn(p)) {
            throw new IllegalArgumentException("Ranking: predictions have shape " + Arrays.toString(p)
                    + ", expected [B] or [B, 1] with B >= 1 (one prediction per example)");
        }
        int[] t = targets.shape();
        if (!isColumn(t) || t[0] != p[0]) {
            throw new IllegalArgumentException("Ranking: targets have shape " + Arrays.toString(t) + ", expected ["
                    + p[0] + "] or [" + p[0] + ", 1] (one per prediction)");
        }
        Tensor y = Arrays.equals(p, t) ? targets : Ops.reshape(targets, p);
        return objective == Objective.SQUARED_ERROR
                ? Ops.square(Ops.sub(predictions, y))
                : Ops.sigmoidCrossEntropy(predictions, y);
    }

    private static boolean isColumn(int[] shape) {
        return (shape.length == 1 || shape.length == 2 && shape[1] == 1) && shape[0] >= 1;
    }

    /**
     * The metrics of {@code predictions} (logits for {@link #binary()}) against {@code targets}:
     * a {@link RegressionMetrics} or a {@link BinaryMetrics}.
     */
    public Evaluation metrics(float[] predictions, float[] targets) {
        Objects.requireNonNull(predictions, "Ranking: predictions");
        Objects.requireNonNull(targets, "Ranking: targets");
        if (predictions.length != targets.length || predictions.length == 0) {
            throw new IllegalArgumentException("Ranking: " + predictions.length + " predictions and " + targets.length
                    + " targets, expected as many of each and at least one");
        }
        if (objective == Objective.BINARY_CROSS_ENTROPY) {
            BinaryAccuracy accuracy = new BinaryAccuracy(0.0);
            accuracy.update(predictions, targets);
            return new BinaryMetrics(AUC.compute(predictions, targets), accuracy.result(),
                    LogLoss.compute(predictions, targets));
        }
        float[] scored = range == null ? predictions : range.clipInPlace(predictions.clone());
        return new RegressionMetrics(RootMeanSquaredError.compute(scored, targets),
                MeanAbsoluteError.compute(scored, targets));
    }

    /** What {@link #metrics} returns: one record per objective, each also readable by metric name. */
    public sealed interface Evaluation permits RegressionMetrics, BinaryMetrics {
        /** The metrics by name, in a fixed order ({@code "rmse"}, {@code "mae"}; {@code "auc"}, ...). */
        Map<String, Double> asMap();
    }

    /** Root mean squared and mean absolute error, of the clipped predictions when a range is set. */
    public record RegressionMetrics(double rmse, double mae) implements Evaluation {
        @Override
        public Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("rmse", rmse);
            m.put("mae", mae);
            return m;
        }
    }

    /** AUC (NaN without both classes), accuracy at logit 0, and log-loss. */
    public record BinaryMetrics(double auc, double accuracy, double logLoss) implements Evaluation {
        @Override
        public Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("auc", auc);
            m.put("accuracy", accuracy);
            m.put("log_loss", logLoss);
            return m;
        }
    }

    @Override
    public String toString() {
        return objective == Objective.BINARY_CROSS_ENTROPY ? "Ranking(binary, logits)"
                : range == null ? "Ranking(regression)"
                : "Ranking(regression, metrics clipped to " + range + ")";
    }
}
