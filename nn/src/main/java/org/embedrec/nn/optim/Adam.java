package org.embedrec.nn.optim;

/**
 * Adam (Kingma and Ba 2015), in the form Keras and TensorFlow use:
 * {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
 * w -= lr * sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + epsilon)}.
 *
 * <p>On a sparse table this is lazy Adam (TensorFlow Addons' LazyAdam): the moments of rows
 * not touched in a step are not decayed and those rows do not move, while the bias correction
 * uses this optimizer's global step count {@code t}. A row touched for the first time at step
 * {@code t} therefore starts its moments from zero with the correction of step {@code t}.
 */
public final class Adam extends ElementwiseOptimizer {
    private static final String KIND = "Adam";

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private float alpha;

    /** Adam with Keras defaults for everything but the learning rate. */
    public Adam(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private Adam(Builder b) {
        super(KIND, b.learningRate, b.clipNorm);
        this.beta1 = requireDecay(KIND, "beta1", b.beta1);
        this.beta2 = requireDecay(KIND, "beta2", b.beta2);
        this.epsilon = requirePositive(KIND, "epsilon", b.epsilon);
    }

    /** A builder with Keras defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
    public static Builder builder() {
        return new Builder();
    }

    public float beta1() {
        return beta1;
    }

    public float beta2() {
        return beta2;
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    float[] slotInitialValues() {
        return new float[] {0f, 0f};
    }

    @Override
    void beginStep(long t, float learningRate) {
        alpha = biasCorrectedRate(learningRate, beta1, beta2, t);
    }

    @Override
    void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots) {
        apply(w, wOff, g, gOff, n, gradScale, slots[0], slots[1], beta1, beta2, alpha, epsilon, 1f);
    }

    /** {@code lr * sqrt(1 - b2^t) / (1 - b1^t)}, computed in double. */
    static float biasCorrectedRate(float lr, float b1, float b2, long t) {
        double c1 = 1.0 - Math.pow(b1, t);
        double c2 = 1.0 - Math.pow(b2, t);
        return (float) (lr * Math.sqrt(c2) / c1);
    }

    /**
     * The Adam update of {@code n} scalars, after multiplying each weight by {@code decay}
     * (1 for Adam; {@code 1 - lr*weightDecay} for {@link AdamW}).
     */
    static void apply(float[] w, int wOff, float[] g, int gOff, int n, float gradScale,
                      float[] m, float[] v, float b1, float b2, float alpha, float eps, float decay) {
        float c1 = 1f - b1;
        float c2 = 1f - b2;
        for (int i = 0; i < n; i++) {
            int j = wOff + i;
            float gi = g[gOff + i] * gradScale;
            float mj = b1 * m[j] + c1 * gi;
            float vj = b2 * v[j] + c2 * gi * gi;
            m[j] = mj;
            v[j] = vj;
            w[j] = w[j] * decay - alpha * mj / ((float) Math.sqrt(vj) + eps);
        }
    }

    /** Settings for {@link Adam}. */
    public static final class Builder extends ElementwiseOptimizer.Builder<Builder, Adam> {
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float epsilon = 1e-7f;

        Builder() {
            super(0.001f);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Decay of the first moment, in [0, 1); default 0.9. */
        public Builder beta1(float value) {
            beta1 = value;
            return this;
        }

        /** Decay of the second moment, in [0, 1); default 0.999. */
        public Builder beta2(float value) {
            beta2 = value;
            return this;
        }

        /** Added to the root of the second moment, > 0; default 1e-7. */
        public Builder epsilon(float value) {
            epsilon = value;
            return this;
        }

        @Override
        public Adam build() {
            return new Adam(this);
        }
    }
}
