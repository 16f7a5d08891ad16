package org.embedrec.nn.optim;

/**
 * FTRL-Proximal (McMahan et al. 2013, "Ad Click Prediction: a View from the Trenches"), in
 * the per-coordinate form Keras and TensorFlow use, with {@code p = learningRatePower}:
 * {@code n' = n + g^2; z += g - (n'^-p - n^-p)/lr * w; n = n';
 * w = |z| <= l1 ? 0 : (sign(z)*l1 - z) / ((n^-p + beta)/lr + 2*l2)}.
 *
 * <p>With {@code p = -0.5} this is the paper's rule; its {@code lambda2} is {@code 2*l2} here
 * and its {@code alpha}, {@code beta} are {@code lr}, {@code beta}. The L1 term sets weights
 * exactly to zero, which suits wide linear models on crossed sparse features. On a sparse
 * table only touched rows' {@code z} and {@code n} change, and only touched rows are
 * recomputed (lazy FTRL). On a dense parameter a zero gradient still recomputes {@code w}
 * from {@code z} and {@code n}.
 */
public final class Ftrl extends ElementwiseOptimizer {
    private static final String KIND = "Ftrl";
    private static final int ACCUMULATOR = 0;
    private static final int LINEAR = 1;

    private final float learningRatePower;
    private final float initialAccumulatorValue;
    private final float l1;
    private final float l2;
    private final float beta;
    private float lr;

    /** FTRL with Keras defaults for everything but the learning rate. */
    public Ftrl(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private Ftrl(Builder b) {
        super(KIND, b.learningRate, b.clipNorm);
        if (!(b.learningRatePower <= 0f) || Float.isInfinite(b.learningRatePower)) {
            throw new IllegalArgumentException(
                    KIND + " learningRatePower must be finite and <= 0, got " + b.learningRatePower);
        }
        this.learningRatePower = b.learningRatePower;
        // A zero accumulator would make the first denominator 0 for a zero gradient.
        this.initialAccumulatorValue = requirePositive(KIND, "initialAccumulatorValue", b.initialAccumulatorValue);
        this.l1 = requireNonNegative(KIND, "l1", b.l1);
        this.l2 = requireNonNegative(KIND, "l2", b.l2);
        this.beta = requireNonNegative(KIND, "beta", b.beta);
    }

    /**
     * A builder with Keras defaults: learning rate 0.001, learning-rate power -0.5, initial
     * accumulator 0.1, l1 0, l2 0, beta 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    public float learningRatePower() {
        return learningRatePower;
    }

    public float initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    public float l1() {
        return l1;
    }

    public float l2() {
        return l2;
    }

    public float beta() {
        return beta;
    }

    @Override
    float[] slotInitialValues() {
        return new float[] {initialAccumulatorValue, 0f};
    }

    @Override
    void beginStep(long t, float learningRate) {
        lr = learningRate;
    }

    @Override
    void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots) {
        float[] acc = slots[ACCUMULATOR];
        float[] z = slots[LINEAR];
        float rate = lr;
        float lambda1 = l1;
        float twoL2 = 2f * l2;
        float b = beta;
        boolean sqrt = learningRatePower == -0.5f;
        double power = -learningRatePower;
        for (int i = 0; i < n; i++) {
            int j = wOff + i;
            float gi = g[gOff + i] * gradScale;
            float nOld = acc[j];
            float nNew = nOld + gi * gi;
            float rootOld = sqrt ? (float) Math.sqrt(nOld) : (float) Math.pow(nOld, power);
            float rootNew = sqrt ? (float) Math.sqrt(nNew) : (float) Math.pow(nNew, power);
            float zj = z[j] + gi - (rootNew - rootOld) / rate * w[j];
            z[j] = zj;
            acc[j] = nNew;
            float quadratic = (rootNew + b) / rate + twoL2;
            if (zj > lambda1) {
                w[j] = (lambda1 - zj) / quadratic;
            } else if (zj < -lambda1) {
                w[j] = (-lambda1 - zj) / quadratic;
            } else {
                w[j] = 0f;
            }
        }
    }

    /** Settings for {@link Ftrl}. */
    public static final class Builder extends ElementwiseOptimizer.Builder<Builder, Ftrl> {
        float learningRatePower = -0.5f;
        float initialAccumulatorValue = 0.1f;
        float l1;
        float l2;
        float beta;

        Builder() {
            super(0.001f);
        }

        @Override
        Builder self() {
            return this;
        }

        /** How the per-coordinate rate falls with the accumulator, <= 0; default -0.5. */
        public Builder learningRatePower(float value) {
            learningRatePower = value;
            return this;
        }

        /** Starting value of the squared-gradient accumulator, > 0; default 0.1. */
        public Builder initialAccumulatorValue(float value) {
            initialAccumulatorValue = value;
            return this;
        }

        /** L1 regularisation strength, >= 0; default 0. */
        public Builder l1(float value) {
            l1 = value;
            return this;
        }

        /** L2 regularisation strength, >= 0, entering the denominator as {@code 2*l2}; default 0. */
        public Builder l2(float value) {
            l2 = value;
            return this;
        }

        /** The paper's beta, >= 0, added to the root of the accumulator; default 0. */
        public Builder beta(float value) {
            beta = value;
            return this;
        }

        @Override
        public Ftrl build() {
            return new Ftrl(this);
        }
    }
}
