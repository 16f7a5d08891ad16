package org.embedrec.nn.layers;

import java.util.Objects;
import java.util.Optional;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;

/**
 * A 1-D convolution over sequences {@code [batch, time, channels]}: {@code filters} kernels of
 * {@code kernelSize} steps by {@code channels}, moved by the stride, plus a bias, then the
 * activation: {@code [batch, outTime, filters]}. Over word embeddings it reads n-grams. One matrix
 * product of the windows and the kernel ({@link Ops#conv1d}).
 *
 * <p>Defaults follow Keras: stride 1, {@link Padding#VALID}, linear activation, bias, Glorot-uniform
 * kernel with fans {@code kernelSize * channels} and {@code kernelSize * filters}; parameters
 * {@code kernel [kernelSize, channels, filters]} and {@code bias [filters]}. A convolution has no
 * notion of padded steps: pool its output with a mask ({@link GlobalMaxPooling1D}) to leave them out.
 */
public final class Conv1D extends Layer {
    static final String TYPE = "conv1d";

    private final int channels;
    private final int filters;
    private final int kernelSize;
    private final int stride;
    private final Padding padding;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;

    private Conv1D(Builder b, Rng rng) {
        super(b.name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "channels", b.channels);
        LayerChecks.positive(where, "filters", b.filters);
        LayerChecks.positive(where, "kernelSize", b.kernelSize);
        LayerChecks.positive(where, "stride", b.stride);
        LayerChecks.notNull(where, "rng", rng);
        this.channels = b.channels;
        this.filters = b.filters;
        this.kernelSize = b.kernelSize;
        this.stride = b.stride;
        this.padding = b.padding;
        this.activation = b.activation;
        Rng own = rng.split();
        Tensor k = Tensor.zeros(kernelSize, channels, filters);
        b.kernelInitializer.fill(k.data(), kernelSize * channels, kernelSize * filters, own);
        this.kernel = addParameter("kernel", k);
        this.bias = b.useBias ? addParameter("bias", Initializer.zeros().create(own, filters)) : null;
    }

    /** A convolution of {@code channels}-channel sequences by {@code filters} kernels of {@code kernelSize} steps. */
    public static Builder builder(int channels, int filters, int kernelSize) {
        return new Builder(channels, filters, kernelSize);
    }

    @Override
    public Tensor apply(Tensor sequences) {
        int[] shape = sequences.shape();
        if (shape.length != 3 || shape[2] != channels) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected sequences [batch, time, "
                    + channels + "], got " + Shape.toString(shape));
        }
        int[] pad = padding.amounts(shape[1], kernelSize, stride);
        if (shape[1] + pad[0] + pad[1] < kernelSize) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "sequences " + Shape.toString(shape)
                    + " are shorter than the kernel of " + kernelSize + " steps");
        }
        Tensor y = Ops.conv1d(sequences, kernel.value(), bias == null ? null : bias.value(), stride, pad[0], pad[1]);
        return activation.apply(y);
    }

    public int filters() {
        return filters;
    }

    public int kernelSize() {
        return kernelSize;
    }

    public Padding padding() {
        return padding;
    }

    /** The {@code [kernelSize, channels, filters]} kernel. */
    public Parameter kernel() {
        return kernel;
    }

    public Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    /** Configures a {@link Conv1D}; every setting has the Keras default. */
    public static final class Builder {
        private final int channels;
        private final int filters;
        private final int kernelSize;
        private int stride = 1;
        private String name = TYPE;
        private Padding padding = Padding.VALID;
        private Activation activation = Activation.LINEAR;
        private boolean useBias = true;
        private Initializer kernelInitializer = Initializer.glorotUniform();

        private Builder(int channels, int filters, int kernelSize) {
            this.channels = channels;
            this.filters = filters;
            this.kernelSize = kernelSize;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder stride(int value) {
            this.stride = value;
            return this;
        }

        public Builder padding(Padding value) {
            this.padding = Objects.requireNonNull(value, "padding");
            return this;
        }

        public Builder activation(Activation value) {
            this.activation = Objects.requireNonNull(value, "activation");
            return this;
        }

        public Builder useBias(boolean value) {
            this.useBias = value;
            return this;
        }

        public Builder kernelInitializer(Initializer value) {
            this.kernelInitializer = Objects.requireNonNull(value, "kernelInitializer");
            return this;
        }

        /** Builds the layer, drawing its initial kernel from {@code rng}. */
        public Conv1D build(Rng rng) {
            return new Conv1D(this, rng);
        }
    }
}
