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
 * A 2-D convolution over images {@code [batch, height, width, channels]} (channels last, Keras's
 * default): {@code filters} kernels of {@code kernelH x kernelW x channels}, moved by the strides,
 * plus a bias, then the activation: {@code [batch, outH, outW, filters]}. Computed as one matrix
 * product of the image patches and the kernel ({@link Ops#conv2d}).
 *
 * <p>Defaults follow Keras: strides 1, {@link Padding#VALID}, linear activation, bias, Glorot-uniform
 * kernel with fans {@code kernelH * kernelW * channels} and {@code kernelH * kernelW * filters};
 * parameters {@code kernel [kernelH, kernelW, channels, filters]} and {@code bias [filters]}.
 *
 * <pre>{@code
 * Conv2D conv = Conv2D.builder(1, 32, 3, 3).padding(Padding.SAME).activation(Activation.RELU).build(rng);
 * }</pre>
 */
public final class Conv2D extends Layer {
    static final String TYPE = "conv2d";

    private final int channels;
    private final int filters;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final Padding padding;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;

    private Conv2D(Builder b, Rng rng) {
        super(b.name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "channels", b.channels);
        LayerChecks.positive(where, "filters", b.filters);
        LayerChecks.positive(where, "kernelH", b.kernelH);
        LayerChecks.positive(where, "kernelW", b.kernelW);
        LayerChecks.positive(where, "strideH", b.strideH);
        LayerChecks.positive(where, "strideW", b.strideW);
        LayerChecks.notNull(where, "rng", rng);
        this.channels = b.channels;
        this.filters = b.filters;
        this.kernelH = b.kernelH;
        this.kernelW = b.kernelW;
        this.strideH = b.strideH;
        this.strideW = b.strideW;
        this.padding = b.padding;
        this.activation = b.activation;
        Rng own = rng.split();
        int area = kernelH * kernelW;
        Tensor k = Tensor.zeros(kernelH, kernelW, channels, filters);
        b.kernelInitializer.fill(k.data(), area * channels, area * filters, own);
        this.kernel = addParameter("kernel", k);
        this.bias = b.useBias ? addParameter("bias", Initializer.zeros().create(own, filters)) : null;
    }

    /** A convolution of {@code channels}-channel images by {@code filters} kernels of {@code kernelH x kernelW}. */
    public static Builder builder(int channels, int filters, int kernelH, int kernelW) {
        return new Builder(channels, filters, kernelH, kernelW);
    }

    @Override
    public Tensor apply(Tensor images) {
        int[] shape = images.shape();
        if (shape.length != 4 || shape[3] != channels) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected images [batch, height, width, "
                    + channels + "], got " + Shape.toString(shape));
        }
        int[] vertical = padding.amounts(shape[1], kernelH, strideH);
        int[] horizontal = padding.amounts(shape[2], kernelW, strideW);
        if (shape[1] + vertical[0] + vertical[1] < kernelH || shape[2] + horizontal[0] + horizontal[1] < kernelW) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "images " + Shape.toString(shape)
                    + " are smaller than the " + kernelH + " x " + kernelW + " kernel");
        }
        Tensor y = Ops.conv2d(images, kernel.value(), bias == null ? null : bias.value(), strideH, strideW,
                vertical[0], vertical[1], horizontal[0], horizontal[1]);
        return activation.apply(y);
    }

    public int filters() {
        return filters;
    }

    public Padding padding() {
        return padding;
    }

    /** The {@code [kernelH, kernelW, channels, filters]} kernel. */
    public Parameter kernel() {
        return kernel;
    }

    public Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    /** Configures a {@link Conv2D}; every setting has the Keras default. */
    public static final class Builder {
        private final int channels;
        private final int filters;
        private final int kernelH;
        private final int kernelW;
        private int strideH = 1;
        private int strideW = 1;
        private String name = TYPE;
        private Padding padding = Padding.VALID;
        private Activation activation = Activation.LINEAR;
        private boolean useBias = true;
        private Initializer kernelInitializer = Initializer.glorotUniform();

        private Builder(int channels, int filters, int kernelH, int kernelW) {
            this.channels = channels;
            this.filters = filters;
            this.kernelH = kernelH;
            this.kernelW = kernelW;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder strides(int vertical, int horizontal) {
            this.strideH = vertical;
            this.strideW = horizontal;
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
        public Conv2D build(Rng rng) {
            return new Conv2D(this, rng);
        }
    }
}
