package org.embedrec.nn.optim;

import org.embedrec.engine.kernels.Kernels;

/**
 * What {@link Adam} and {@link AdamW} share: the two moments, their hyperparameters and the
 * bias-corrected update; a subclass says only by what factor each weight decays before it.
 */
abstract class AdamBase extends ElementwiseOptimizer {

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private float alpha;
    private float decay;

    AdamBase(String kind, Builder<?, ?> b) {
        super(kind, b.learningRate, b.clipNorm);
        this.beta1 = requireDecay(kind, "beta1", b.beta1);
        this.beta2 = requireDecay(kind, "beta2", b.beta2);
        this.epsilon = requirePositive(kind, "epsilon", b.epsilon);
    }

    public final float beta1() {
        return beta1;
    }

    public final float beta2() {
        return beta2;
    }

    public final float epsilon() {
        return epsilon;
    }

    /** What each weight is multiplied by before the step at {@code learningRate}; 1 for none. */
    abstract float decayFactor(float learningRate);

    @Override
    final float[] slotInitialValues() {
        return new float[] {0f, 0f};
    }

    @Override
    final void beginStep(long t, float learningRate) {
        alpha = biasCorrectedRate(learningRate, beta1, beta2, t);
        decay = decayFactor(learningRate);
    }

    /** {@code lr * sqrt(1 - b2^t) / (1 - b1^t)}, computed in double. */
    private static float biasCorrectedRate(float lr, float b1, float b2, long t) {
        double c1 = 1.0 - Math.pow(b1, t);
        double c2 = 1.0 - Math.pow(b2, t);
        return (float) (lr * Math.sqrt(c2) / c1);
    }

    @Override
    final void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots) {
        // The Adam update of n scalars, after multiplying each weight by decay (1 for Adam,
        // 1 - lr * weightDecay for AdamW), as one SIMD pass.
        Kernels.get().adamStep(w, slots[0], slots[1], wOff, g, gOff, n, gradScale,
                beta1, beta2, alpha, epsilon, decay);
    }

    /**
     * Settings shared by {@link Adam} and {@link AdamW}, with Keras defaults: learning rate
     * 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
     */
    abstract static class Builder<B extends Builder<B, O>, O extends AdamBase>
            extends ElementwiseOptimizer.Builder<B, O> {
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float epsilon = 1e-7f;

        Builder() {
            super(0.001f);
        }

        /** Decay of the first moment, in [0, 1); default 0.9. */
        public final B beta1(float value) {
            beta1 = value;
            return self();
        }

        /** Decay of the second moment, in [0, 1); default 0.999. */
        public final B beta2(float value) {
            beta2 = value;
            return self();
        }

        /** Added to the root of the second moment, > 0; default 1e-7. */
        public final B epsilon(float value) {
            epsilon = value;
            return self();
        }
    }
}
