package org.embedrec.nn.losses;

import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;

/**
 * Binary cross-entropy {@code -(y log p + (1 - y) log(1 - p))} per element, reduced by
 * {@link Reduction}. From logits {@code x} (the default) it is the stable fused form
 * {@code max(x, 0) - x y + log(1 + exp(-|x|))} of {@link Ops#sigmoidCrossEntropy}; from
 * probabilities, as in Keras, {@code p} is first clamped to {@code [1e-7, 1 - 1e-7]} so that
 * neither logarithm is infinite (and the gradient is zero where the clamp holds).
 */
public final class BinaryCrossEntropy implements Loss {
    /** The clamp on probabilities, Keras' {@code epsilon()}. */
    static final float EPSILON = 1e-7f;

    private final boolean fromLogits;
    private final Reduction reduction;

    /** From logits, with {@link Reduction#MEAN}. */
    public BinaryCrossEntropy() {
        this(true, Reduction.MEAN);
    }

    public BinaryCrossEntropy(boolean fromLogits, Reduction reduction) {
        this.fromLogits = fromLogits;
        this.reduction = Objects.requireNonNull(reduction, "BinaryCrossEntropy: reduction must not be null");
    }

    @Override
    public Tensor compute(Tensor predictions, Tensor targets) {
        Tensor y = TargetShapes.elementwise("BinaryCrossEntropy", predictions, targets);
        Tensor logits = fromLogits ? predictions : logitsOf(predictions);
        Tensor losses = Ops.sigmoidCrossEntropy(logits, y);
        return reduction.reduce(losses, Reduction.exampleWidth(losses));
    }

    /** {@code log(p) - log(1 - p)} of the clamped probabilities, whose sigmoid is the clamped {@code p}. */
    private static Tensor logitsOf(Tensor probabilities) {
        Tensor p = Ops.clamp(probabilities, EPSILON, 1f - EPSILON);
        return Ops.sub(Ops.log(p), Ops.log(Ops.addScalar(Ops.scale(p, -1f), 1f)));
    }

    @Override
    public String toString() {
        return "BinaryCrossEntropy(" + (fromLogits ? "logits" : "probabilities") + ", " + reduction + ")";
    }
}
