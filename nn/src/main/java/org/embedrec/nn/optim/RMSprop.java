package org.embedrec.nn.optim;

/**
 * RMSprop (Hinton, lecture 6e), in the form Keras uses: {@code s = rho*s + (1-rho)*g^2;
 * w -= lr * g / sqrt(s + epsilon)}; with momentum the step goes through a velocity,
 * {@code u = momentum*u + lr*g/sqrt(s + epsilon); w -= u}; centered, {@code s} is replaced by
 * {@code s - a^2} where {@code a = rho*a + (1-rho)*g}.
 *
 * <p>On a sparse table only touched rows' averages and velocities change (lazy RMSprop): an
 * untouched row's mean square is not decayed and its velocity is not applied.
 */
public final class RMSprop extends ElementwiseOptimizer {
    private static final String KIND = "RMSprop";

    private final float rho;
    private final float momentum;
    private final float epsilon;
    private final boolean centered;
    private final int momentumSlot;
    private final int meanGradSlot;
    private float lr;

    /** RMSprop with Keras defaults for everything but the learning rate. */
    public RMSprop(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private RMSprop(Builder b) {
        super(KIND, b.learningRate, b.clipNorm);
        this.rho = requireDecay(KIND, "rho", b.rho);
        this.momentum = requireDecay(KIND, "momentum", b.momentum);
        this.epsilon = requirePositive(KIND, "epsilon", b.epsilon);
        this.centered = b.centered;
        int next = 1;
        this.momentumSlot = momentum > 0f ? next++ : -1;
        this.meanGradSlot = centered ? next : -1;
    }

    /**
     * A builder with Keras defaults: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7,
     * not centered.
     */
    public static Builder builder() {
        return new Builder();
    }

    public float rho() {
        return rho;
    }

    public float momentum() {
        return momentum;
    }

    public float epsilon() {
        return epsilon;
    }

    public boolean centered() {
        return centered;
    }

    @Override
    float[] slotInitialValues() {
        return new float[1 + (momentum > 0f ? 1 : 0) + (centered ? 1 : 0)];
    }

    @Override
    void beginStep(long t, float learningRate) {
        lr = learningRate;
    }

    @Override
    void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots) {
        float[] s = slots[0];
        float[] u = momentumSlot < 0 ? null : slots[momentumSlot];
        float[] a = meanGradSlot < 0 ? null : slots[meanGradSlot];
        float r = rho;
        float c = 1f - rho;
        float mu = momentum;
        float rate = lr;
        float eps = epsilon;
        for (int i = 0; i < n; i++) {
            int j = wOff + i;
            float gi = g[gOff + i] * gradScale;
            float sj = r * s[j] + c * gi * gi;
            s[j] = sj;
            float denominator = sj;
            if (a != null) {
                float aj = r * a[j] + c * gi;
                a[j] = aj;
                denominator = sj - aj * aj;
            }
            float increment = rate * gi / (float) Math.sqrt(denominator + eps);
            if (u != null) {
                float uj = mu * u[j] + increment;
                u[j] = uj;
                w[j] -= uj;
            } else {
                w[j] -= increment;
            }
        }
    }

    /** Settings for {@link RMSprop}. */
    public static final class Builder extends ElementwiseOptimizer.Builder<Builder, RMSprop> {
        float rho = 0.9f;
        float momentum;
        float epsilon = 1e-7f;
        boolean centered;

        Builder() {
            super(0.001f);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Decay of the mean square, in [0, 1); default 0.9. */
        public Builder rho(float value) {
            rho = value;
            return this;
        }

        /** Momentum in [0, 1); default 0 (no velocity slot). */
        public Builder momentum(float value) {
            momentum = value;
            return this;
        }

        /** Added to the mean square under the root, > 0; default 1e-7. */
        public Builder epsilon(float value) {
            epsilon = value;
            return this;
        }

        /** Normalise by the variance instead of the mean square; default false. */
        public Builder centered(boolean value) {
            centered = value;
            return this;
        }

        @Override
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
