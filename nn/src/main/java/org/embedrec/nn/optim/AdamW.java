package org.embedrec.nn.optim;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019): {@code w -= lr*weightDecay*w},
 * then the {@link Adam} update; the decay does not pass through the moments, unlike an L2 term
 * added to the gradient.
 *
 * <p>On a sparse table both the decay and the update reach only touched rows (lazy, as in
 * {@link Adam}); an untouched row keeps its value and moments bit for bit.
 */
public final class AdamW extends ElementwiseOptimizer {
    private static final String KIND = "AdamW";

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private float alpha;
    private float decay;

    /** AdamW with Keras defaults for everything but the learning rate. */
    public AdamW(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private AdamW(Builder b) {
        super(KIND, b.learningRate, b.clipNorm);
        this.beta1 = requireDecay(KIND, "beta1", b.beta1);
        this.beta2 = requireDecay(KIND, "beta2", b.beta2);
        this.epsilon = requirePositive(KIND, "epsilon", b.epsilon);
        this.weightDecay = requireNonNegative(KIND, "weightDecay", b.weightDecay);
    }

    /**
     * A builder with Keras defaults: learning rate 0.001, weight decay 0.004, beta1 0.9,
     * beta2 0.999, epsilon 1e-7.
     */
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

    public float weightDecay() {
        return weightDecay;
    }

    @Override
    float[] slotInitialValues() {
        return new float[] {0f, 0f};
    }

    @Override
    void beginStep(long t, float learningRate) {
        alpha = Adam.biasCorrectedRate(learningRate, beta1, beta2, t);
        decay = (float) (1.0 - (double) learningRate * weightDecay);
    }

    @Override
    void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots) {
        Adam.apply(w, wOff, g, gOff, n, gradScale, slots[0], slots[1], beta1, beta2, alpha, epsilon, decay);
    }

    /** Settings for {@link AdamW}. */
    public static final class Builder extends ElementwiseOptimizer.Builder<Builder, AdamW> {
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float epsilon = 1e-7f;
        float weightDecay = 0.004f;

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

        /** Decoupled weight decay, >= 0, scaled by the learning rate; default 0.004. */
        public Builder weightDecay(float value) {
            weightDecay = value;
            return this;
        }

        @Override
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
