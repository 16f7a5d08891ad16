package org.embedrec.nn.losses;

import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;

/**
 * Mean squared error, {@code (p - y)^2} per element, reduced by {@link Reduction}: the rating
 * loss. Targets of shape {@code [batch]} fit predictions {@code [batch, 1]} and vice versa.
 */
public final class MeanSquaredError implements Loss {
    private final Reduction reduction;

    /** With {@link Reduction#MEAN}. */
    public MeanSquaredError() {
        this(Reduction.MEAN);
    }

    public MeanSquaredError(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "MeanSquaredError: reduction must not be null");
    }

    @Override
    public Tensor compute(Tensor predictions, Tensor targets) {
        Tensor y = TargetShapes.elementwise("MeanSquaredError", predictions, targets);
        Tensor squares = Ops.square(Ops.sub(predictions, y));
        return reduction.reduce(squares, Reduction.exampleWidth(squares));
    }

    @Override
    public String toString() {
        return "MeanSquaredError(" + reduction + ")";
    }
}
