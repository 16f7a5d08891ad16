package org.embedrec.nn.optim;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019): {@code w -= lr*weightDecay*w},
 * then the {@link Adam} update; the decay does not pass through the moments, unlike an L2 term
 * added to the gradient.
 *
 * <p>On a sparse table both the decay and the update reach only touched rows (lazy, as in
 * {@link Adam}); an untouched row keeps its value and moments bit for bit.
 */
public final class AdamW extends AdamBase {
    private static final String KIND = "AdamW";

    private final float weightDecay;

    /** AdamW with Keras defaults for everything but the learning rate. */
    public AdamW(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private AdamW(Builder b) {
        super(KIND, b);
        this.weightDecay = requireNonNegative(KIND, "weightDecay", b.weightDecay);
    }

    /**
     * A builder with Keras defaults: learning rate 0.001, weight decay 0.004, beta1 0.9,
     * beta2 0.999, epsilon 1e-7.
     */
    public static Builder builder() {
        return new Builder();
    }

    public float weightDecay() {
        return weightDecay;
    }

    @Override
    float decayFactor(float learningRate) {
        return (float) (1.0 - (double) learningRate * weightDecay);
    }

    /** Settings for {@link AdamW}. */
    public static final class Builder extends AdamBase.Builder<Builder, AdamW> {
        float weightDecay = 0.004f;

        Builder() {}

        @Override
        Builder self() {
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
