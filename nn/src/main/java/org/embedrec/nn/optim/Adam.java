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
public final class Adam extends AdamBase {
    private static final String KIND = "Adam";

    /** Adam with Keras defaults for everything but the learning rate. */
    public Adam(float learningRate) {
        this(builder().learningRate(learningRate));
    }

    private Adam(Builder b) {
        super(KIND, b);
    }

    /** A builder with Keras defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    float decayFactor(float learningRate) {
        return 1f;
    }

    /** Settings for {@link Adam}. */
    public static final class Builder extends AdamBase.Builder<Builder, Adam> {

        Builder() {}

        @Override
        Builder self() {
            return this;
        }

        @Override
        public Adam build() {
            return new Adam(this);
        }
    }
}
