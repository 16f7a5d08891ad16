package org.embedrec.nn.layers;

import java.util.Arrays;
import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.MergeLayer;

/**
 * The dot product of two inputs along their last axis, {@code [..., d] . [..., d] -> [..., 1]}:
 * on a batch of vectors {@code [B, d]} it gives {@code [B, 1]}, as Keras's {@code Dot(axes=1)}.
 * With {@code normalize}, each input is first scaled to unit L2 norm, giving the cosine
 * similarity {@code a.b / (|a| |b|)}, with {@code |v| = sqrt(v.v + 1e-12)} so that a zero
 * vector gives 0 rather than NaN.
 */
public final class Dot extends MergeLayer {
    static final String TYPE = "dot";
    private static final float NORM_EPSILON = 1e-12f;

    private final boolean normalize;

    /** The plain dot product. */
    public Dot() {
        this(TYPE, false);
    }

    /** The dot product, or with {@code normalize} the cosine similarity. */
    public Dot(boolean normalize) {
        this(TYPE, normalize);
    }

    public Dot(String name, boolean normalize) {
        super(name);
        this.normalize = normalize;
    }

    public boolean normalize() {
        return normalize;
    }

    @Override
    public Tensor apply(List<Tensor> inputs) {
        String where = LayerChecks.where(TYPE, this);
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(where + "needs exactly two inputs, got " + inputs.size());
        }
        Tensor a = inputs.get(0);
        Tensor b = inputs.get(1);
        int[] shape = a.shape();
        if (shape.length == 0 || !Arrays.equals(shape, b.shape())) {
            throw new IllegalArgumentException(where + "expected two inputs of the same shape [..., d], got "
                    + Shape.toString(shape) + " and " + Shape.toString(b.shape()));
        }
        Tensor d = Ops.dot(a, b);
        if (normalize) {
            // Dividing the dot product by both norms equals normalising first, without
            // broadcasting a norm across each vector.
            Tensor norms = Ops.mul(norm(a), norm(b));
            d = Ops.div(d, norms);
        }
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = 1;
        return Ops.reshape(d, outShape);
    }

    private static Tensor norm(Tensor v) {
        return Ops.sqrt(Ops.addScalar(Ops.dot(v, v), NORM_EPSILON));
    }
}
