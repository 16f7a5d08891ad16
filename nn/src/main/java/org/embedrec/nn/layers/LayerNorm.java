package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;

/**
 * Layer normalization over the last axis: each vector {@code x} of length {@code dim} becomes
 * {@code gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta}, with the biased variance and
 * trainable {@code gamma} (ones) and {@code beta} (zeros) of shape {@code [dim]}. Defaults
 * follow Keras's {@code LayerNormalization}: {@code epsilon = 1e-3}.
 */
public final class LayerNorm extends Layer {
    static final String TYPE = "layer_norm";
    public static final double DEFAULT_EPSILON = 1e-3;

    private final int dim;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    public LayerNorm(int dim) {
        this(TYPE, dim, DEFAULT_EPSILON);
    }

    public LayerNorm(int dim, double epsilon) {
        this(TYPE, dim, epsilon);
    }

    public LayerNorm(String name, int dim, double epsilon) {
        super(name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "dim", dim);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException(where + "epsilon must be positive and finite, got " + epsilon);
        }
        this.dim = dim;
        this.epsilon = (float) epsilon;
        this.gamma = addParameter("gamma", Tensor.full(1f, dim));
        this.beta = addParameter("beta", Tensor.zeros(dim));
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] shape = input.shape();
        if (shape.length == 0 || shape[shape.length - 1] != dim) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected input [..., " + dim
                    + "], got " + Shape.toString(shape));
        }
        boolean flat = shape.length == 2;
        Tensor x = flat ? input : Ops.reshape(input, -1, dim);
        Tensor y = Ops.layerNorm(x, gamma.value(), beta.value(), epsilon);
        return flat ? y : Ops.reshape(y, shape);
    }

    public int dim() {
        return dim;
    }

    public float epsilon() {
        return epsilon;
    }

    /** The {@code [dim]} scale, initially ones. */
    public Parameter gamma() {
        return gamma;
    }

    /** The {@code [dim]} offset, initially zeros. */
    public Parameter beta() {
        return beta;
    }
}
