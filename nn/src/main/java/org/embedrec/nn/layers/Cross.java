package org.embedrec.nn.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.MergeLayer;

/**
 * The cross layer of DCN-v2 (Wang et al. 2021), as TFRS's {@code tfrs.layers.dcn.Cross}:
 * {@code x_{l+1} = x0 * (W x_l + b) + x_l}, with {@code *} element-wise, from the input of the
 * cross network {@code x0} and the previous layer's output {@code x_l}, both {@code [..., d]}.
 * Each layer adds one degree of explicit feature interaction: {@code x0_i (W x_l)_i} multiplies
 * every input feature by a learned mix of the current ones.
 *
 * <p>{@code W} is full rank, {@code d x d} (child {@code "dense"}), or the low-rank product
 * {@code W = U V} with {@code V [r, d]} and {@code U [d, r]}: {@code x_l} is projected to
 * {@code r} values and back, {@code W x_l = U (V x_l)}, for {@code 2 d r} weights instead of
 * {@code d d}. The children take TFRS's names: {@code "dense_u"} projects (no bias),
 * {@code "dense_v"} expands and holds the bias. Kernels are stored as Keras stores a dense
 * kernel, {@code [in, out]}, rows computing {@code x_l K} with {@code K = W^T}. A
 * {@code diagScale} {@code s > 0} adds {@code s I} to {@code W}, that is {@code s x_l} to the
 * product, which TFRS offers to keep {@code W} well conditioned. Parameters: {@code d d + d}
 * full rank, {@code 2 d r + d} low rank, {@code d} fewer without a bias.
 *
 * <pre>{@code
 * Cross first = Cross.lowRank("cross", 64, 16, rng);
 * Tensor x1 = first.apply(x0, x0);
 * }</pre>
 */
public final class Cross extends MergeLayer {
    static final String TYPE = "cross";

    private final int dim;
    private final int projectionDim;
    private final float diagScale;
    private final boolean useBias;
    /** {@code x_l -> W x_l + b}: one dense layer, or the projection followed by the expansion. */
    private final Dense[] product;

    private Cross(Builder b, Rng rng) {
        super(b.name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "dim", b.dim);
        if (b.projectionDim < 0) {
            throw new IllegalArgumentException(where + "projectionDim must be positive, or 0 for a full-rank "
                    + "kernel, got " + b.projectionDim);
        }
        if (!Float.isFinite(b.diagScale) || b.diagScale < 0f) {
            throw new IllegalArgumentException(where + "diagScale must be finite and at least 0, got " + b.diagScale);
        }
        LayerChecks.notNull(where, "rng", rng);
        this.dim = b.dim;
        this.projectionDim = b.projectionDim;
        this.diagScale = b.diagScale;
        this.useBias = b.useBias;
        if (projectionDim == 0) {
            product = new Dense[] {addChild(dense("dense", dim, dim, useBias, b, rng))};
        } else {
            Dense u = addChild(dense("dense_u", dim, projectionDim, false, b, rng));
            Dense v = addChild(dense("dense_v", projectionDim, dim, useBias, b, rng));
            product = new Dense[] {u, v};
        }
    }

    private static Dense dense(String name, int in, int out, boolean bias, Builder b, Rng rng) {
        return Dense.builder(in, out).name(name).useBias(bias)
                .kernelInitializer(b.kernelInitializer).biasInitializer(b.biasInitializer).build(rng);
    }

    /** A full-rank cross layer with bias, Glorot-uniform kernel and zero bias. */
    public static Cross fullRank(String name, int dim, Rng rng) {
        return builder(dim).name(name).build(rng);
    }

    /** A cross layer whose kernel is the product of {@code [d, rank]} and {@code [rank, d]} factors, with bias. */
    public static Cross lowRank(String name, int dim, int rank, Rng rng) {
        if (rank <= 0) {
            throw new IllegalArgumentException(TYPE + " '" + name + "': rank must be positive, got " + rank);
        }
        return builder(dim).name(name).projectionDim(rank).build(rng);
    }

    /** A cross layer over inputs {@code [..., dim]}; full rank with bias unless configured otherwise. */
    public static Builder builder(int dim) {
        return new Builder(dim);
    }

    /** {@code x0 * (W x + b) + x} for {@code inputs = [x0, x]}, both {@code [..., dim]}. */
    @Override
    public Tensor apply(List<Tensor> inputs) {
        String where = LayerChecks.where(TYPE, this);
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(where + "needs two inputs, x0 and x, got " + inputs.size());
        }
        Tensor x0 = inputs.get(0);
        Tensor x = inputs.get(1);
        int[] shape = x0.shape();
        if (shape.length == 0 || shape[shape.length - 1] != dim) {
            throw new IllegalArgumentException(where + "expected x0 [..., " + dim + "], got " + Shape.toString(shape));
        }
        if (!Arrays.equals(shape, x.shape())) {
            throw new IllegalArgumentException(where + "x has shape " + Shape.toString(x.shape())
                    + ", x0 has " + Shape.toString(shape) + ": they must be equal");
        }
        Tensor p = x;
        for (Dense d : product) {
            p = d.apply(p);
        }
        if (diagScale != 0f) {
            p = Ops.add(p, Ops.scale(x, diagScale));
        }
        return Ops.add(Ops.mul(x0, p), x);
    }

    /** The width {@code d} of both inputs and of the output. */
    public int dim() {
        return dim;
    }

    /** The rank {@code r} of the kernel's factors, or 0 for a full-rank kernel. */
    public int projectionDim() {
        return projectionDim;
    }

    public boolean useBias() {
        return useBias;
    }

    public float diagScale() {
        return diagScale;
    }

    /** Configures a {@link Cross} layer; the defaults are TFRS's. */
    public static final class Builder {
        private final int dim;
        private String name = TYPE;
        private int projectionDim;
        private boolean useBias = true;
        private float diagScale;
        private Initializer kernelInitializer = Initializer.glorotUniform();
        private Initializer biasInitializer = Initializer.zeros();

        private Builder(int dim) {
            this.dim = dim;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** The rank {@code r} of a low-rank kernel {@code U V}; 0 (the default) for a full-rank kernel. */
        public Builder projectionDim(int value) {
            this.projectionDim = value;
            return this;
        }

        public Builder useBias(boolean value) {
            this.useBias = value;
            return this;
        }

        /** Adds {@code value * I} to the kernel; 0 (the default) for none. */
        public Builder diagScale(float value) {
            this.diagScale = value;
            return this;
        }

        public Builder kernelInitializer(Initializer value) {
            this.kernelInitializer = Objects.requireNonNull(value, "kernelInitializer");
            return this;
        }

        public Builder biasInitializer(Initializer value) {
            this.biasInitializer = Objects.requireNonNull(value, "biasInitializer");
            return this;
        }

        /** Builds the layer, drawing its initial weights from {@code rng}. */
        public Cross build(Rng rng) {
            return new Cross(this, rng);
        }
    }
}
