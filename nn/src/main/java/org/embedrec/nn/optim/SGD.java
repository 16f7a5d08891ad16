package org.embedrec.nn.optim;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay:
 * {@code g' = g + weightDecay*w; v = momentum*v - lr*g'; w += v} (Nesterov:
 * {@code w += momentum*v - lr*g'}), which is {@code w -= lr*g'} without momentum.
 *
 * <p>Momentum follows Keras (the velocity holds {@code -lr*g} terms); weight decay is the
 * coupled L2 form of PyTorch's SGD, added to the gradient before momentum. On a sparse table
 * only touched rows are decayed and moved, and the velocity of an untouched row is neither
 * decayed nor applied (lazy momentum).
 */
public final class SGD extends ElementwiseOptimizer {
    private static final String KIND = "SGD";

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private float lr;

    /** Plain SGD, no momentum, no weight decay. */
    public SGD(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private SGD(Builder b) {
        super(KIND, b.learningRate, b.clipNorm);
        this.momentum = requireDecay(KIND, "momentum", b.momentum);
        this.weightDecay = requireNonNegative(KIND, "weightDecay", b.weightDecay);
        if (b.nesterov && b.momentum == 0f) {
            throw new IllegalArgumentException(KIND + " nesterov needs momentum > 0, got momentum 0.0");
        }
        this.nesterov = b.nesterov;
    }

    /** A builder with Keras defaults: learning rate 0.01, no momentum. */
    public static Builder builder() {
        return new Builder();
    }

    public float momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    public float weightDecay() {
        return weightDecay;
    }

    @Override
    float[] slotInitialValues() {
        return momentum > 0f ? new float[] {0f} : new float[0];
    }

    @Override
    void beginStep(long t, float learningRate) {
        lr = learningRate;
    }

    @Override
    void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots) {
        float rate = lr;
        float wd = weightDecay;
        if (momentum == 0f) {
            for (int i = 0; i < n; i++) {
                int j = wOff + i;
                w[j] -= rate * (g[gOff + i] * gradScale + wd * w[j]);
            }
            return;
        }
        float mu = momentum;
        float[] v = slots[0];
        if (nesterov) {
            for (int i = 0; i < n; i++) {
                int j = wOff + i;
                float step = rate * (g[gOff + i] * gradScale + wd * w[j]);
                float vj = mu * v[j] - step;
                v[j] = vj;
                w[j] += mu * vj - step;
            }
        } else {
            for (int i = 0; i < n; i++) {
                int j = wOff + i;
                float vj = mu * v[j] - rate * (g[gOff + i] * gradScale + wd * w[j]);
                v[j] = vj;
                w[j] += vj;
            }
        }
    }

    /** Settings for {@link SGD}. */
    public static final class Builder extends ElementwiseOptimizer.Builder<Builder, SGD> {
        float momentum;
        boolean nesterov;
        float weightDecay;

        Builder() {
            super(0.01f);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Momentum in [0, 1); 0 (the default) is plain SGD. */
        public Builder momentum(float value) {
            momentum = value;
            return this;
        }

        /** Nesterov momentum; needs momentum > 0. */
        public Builder nesterov(boolean value) {
            nesterov = value;
            return this;
        }

        /** L2 weight decay added to the gradient, {@code g + weightDecay*w}; default 0. */
        public Builder weightDecay(float value) {
            weightDecay = value;
            return this;
        }

        @Override
        public SGD build() {
            return new SGD(this);
        }
    }
}
