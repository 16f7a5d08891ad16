package org.embedrec.models.rating;

import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;

/**
 * A model that scores (user, item, features) examples: {@code prediction = globalBias + score(x)}.
 *
 * <p>The global bias is a constant fitted to the training data before training (the mean
 * rating for a squared-error objective, the log-odds of the positive rate for a logistic one;
 * see {@link RatingTask#adapt}). Starting every model at the best constant
 * predictor lets the trainable part learn only the residual, which is what makes rating
 * models converge in a few epochs; it is stored with the model like an adapted
 * preprocessing layer's state.
 *
 * <p>{@link #forward} also returns a regularisation penalty computed from the rows the batch
 * looked up (lazy L2, as SGD-trained matrix factorisation uses), or null when the model has
 * none; {@link RatingTask} adds it to the training loss.
 */
public abstract class RatingModel extends Module {
    private final RatingFeatureSpec spec;
    private float globalBias;

    /** Predictions {@code [batch]} and the batch's penalty (a scalar, or null). */
    public record Output(Tensor predictions, Tensor penalty) {}

    protected RatingModel(String name, RatingFeatureSpec spec) {
        super(name);
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The schema this model was built for. */
    public final RatingFeatureSpec spec() {
        return spec;
    }

    /** The constant added to every prediction. */
    public final float globalBias() {
        return globalBias;
    }

    /** Sets the constant added to every prediction; must be finite. */
    public final void setGlobalBias(float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name() + ": global bias must be finite, got " + value);
        }
        globalBias = value;
    }

    /** The model's output before the global bias, {@code [batch]}, and its penalty. */
    protected abstract Output score(RatingBatch batch);

    /** Predictions and penalty for {@code batch}, on the gradient tape when one is open. */
    public final Output forward(RatingBatch batch) {
        Output o = score(batch);
        Tensor p = globalBias == 0f ? o.predictions() : Ops.addScalar(o.predictions(), globalBias);
        return new Output(p, o.penalty());
    }

    /** Predictions {@code [batch]} for {@code batch} in the current mode. */
    public final Tensor predict(RatingBatch batch) {
        return forward(batch).predictions();
    }

    /** Predictions for every example of {@code data}, in inference mode, batch by batch. */
    public final float[] predict(RatingExamples data) {
        int n = data.size();
        float[] out = new float[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        boolean wasTraining = isTraining();
        setTraining(false);
        try {
            for (int from = 0; from < n; from += 8192) {
                int to = Math.min(n, from + 8192);
                float[] p = predict(data.batch(order, from, to)).data();
                System.arraycopy(p, 0, out, from, to - from);
            }
        } finally {
            setTraining(wasTraining);
        }
        return out;
    }

    /**
     * The lazy L2 penalty {@code l2 / n * sum of squares of rows}, over the embedding rows a
     * batch of {@code n} examples looked up; null when {@code l2} is 0.
     */
    protected static Tensor rowPenalty(float l2, int n, Tensor... rows) {
        if (l2 == 0f) {
            return null;
        }
        Tensor sum = null;
        for (Tensor r : rows) {
            Tensor s = Ops.sum(Ops.square(r));
            sum = sum == null ? s : Ops.add(sum, s);
        }
        return Ops.scale(sum, l2 / n);
    }
}
