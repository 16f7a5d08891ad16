package org.embedrec.nn.optim;

import org.embedrec.engine.kernels.Kernels;

/**
 * Adagrad (Duchi et al. 2011): {@code a += g^2; w -= lr * g / (sqrt(a) + epsilon)}, with the
 * accumulator {@code a} starting at {@code initialAccumulatorValue} (TensorFlow's kernel).
 *
 * <p>On a sparse table only touched rows' accumulators grow (lazy Adagrad, the same as dense
 * Adagrad on those rows since a zero gradient leaves the accumulator unchanged).
 */
public final class Adagrad extends ElementwiseOptimizer {
    private static final String KIND = "Adagrad";

    private final float initialAccumulatorValue;
    private final float epsilon;
    private float lr;

    /** Adagrad with Keras defaults for everything but the learning rate. */
    public Adagrad(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private Adagrad(Builder b) {
        super(KIND, b.learningRate, b.clipNorm);
        this.initialAccumulatorValue = requireNonNegative(KIND, "initialAccumulatorValue", b.initialAccumulatorValue);
        this.epsilon = requirePositive(KIND, "epsilon", b.epsilon);
    }

    /** A builder with Keras defaults: learning rate 0.001, initial accumulator 0.1, epsilon 1e-7. */
    public static Builder builder() {
        return new Builder();
    }

    public float initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    float[] slotInitialValues() {
        return new float[] {initialAccumulatorValue};
    }

    @Override
    void beginStep(long t, float learningRate) {
        lr = learningRate;
    }

    @Override
    void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots) {
        Kernels.get().adagradStep(w, slots[0], wOff, g, gOff, n, gradScale, lr, epsilon);
    }

    /** Settings for {@link Adagrad}. */
    public static final class Builder extends ElementwiseOptimizer.Builder<Builder, Adagrad> {
        float initialAccumulatorValue = 0.1f;
        float epsilon = 1e-7f;

        Builder() {
            super(0.001f);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Starting value of the squared-gradient accumulator, >= 0; default 0.1. */
        public Builder initialAccumulatorValue(float value) {
            initialAccumulatorValue = value;
            return this;
        }

        /** Added to the root of the accumulator, > 0; default 1e-7. */
        public Builder epsilon(float value) {
            epsilon = value;
            return this;
        }

        @Override
        public Adagrad build() {
            return new Adagrad(this);
        }
    }
}
