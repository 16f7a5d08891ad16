package org.embedrec.nn.losses;

import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;

/**
 * Categorical cross-entropy {@code -log p[y]} with the class ids {@code y} given as numbers,
 * one per row of predictions {@code [batch, classes]}; targets are {@code [batch]} or
 * {@code [batch, 1]}. From logits (the default) it is the fused {@code logsumexp(x) - x[y]} of
 * {@link Ops#softmaxCrossEntropy}. From probabilities it follows Keras: clamp to
 * {@code [1e-7, 1 - 1e-7]}, take the log, and apply the same softmax cross-entropy, which
 * equals {@code -log p[y]} for rows that sum to 1.
 */
public final class SparseCategoricalCrossEntropy implements Loss {
    private final boolean fromLogits;
    private final Reduction reduction;

    /** From logits, with {@link Reduction#MEAN}. */
    public SparseCategoricalCrossEntropy() {
        this(true, Reduction.MEAN);
    }

    public SparseCategoricalCrossEntropy(boolean fromLogits, Reduction reduction) {
        this.fromLogits = fromLogits;
        this.reduction = Objects.requireNonNull(reduction,
                "SparseCategoricalCrossEntropy: reduction must not be null");
    }

    @Override
    public Tensor compute(Tensor predictions, Tensor targets) {
        int[] ids = TargetShapes.classIds("SparseCategoricalCrossEntropy", predictions, targets);
        Tensor logits = fromLogits
                ? predictions
                : Ops.log(Ops.clamp(predictions, BinaryCrossEntropy.EPSILON, 1f - BinaryCrossEntropy.EPSILON));
        // One loss per example already: nothing is averaged within an example.
        return reduction.reduce(Ops.softmaxCrossEntropy(logits, ids), 1);
    }

    @Override
    public String toString() {
        return "SparseCategoricalCrossEntropy(" + (fromLogits ? "logits" : "probabilities") + ", "
                + reduction + ")";
    }
}
