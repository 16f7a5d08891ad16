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
 * A fully connected layer: {@code y = activation(x W + b)} with kernel {@code W [inputDim,
 * units]} and bias {@code b [units]}. Inputs of shape {@code [..., inputDim]} are flattened to
 * rows for one matrix product, so a sequence of vectors costs one SGEMM, and the output has
 * shape {@code [..., units]}.
 *
 * <p>Defaults follow Keras: Glorot-uniform kernel, zero bias, linear activation, name
 * {@code "dense"}.
 *
 * <pre>{@code
 * Dense hidden = Dense.builder(64, 32).activation(Activation.RELU).name("hidden").build(rng);
 * }</pre>
 */
public final class Dense extends Layer {
    static final String TYPE = "dense";

    private final int inputDim;
    private final int units;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;

    /** A linear layer with bias and Keras's default initializers. */
    public Dense(int inputDim, int units, Rng rng) {
        this(inputDim, units, Activation.LINEAR, rng);
    }

    /** A layer with bias and Keras's default initializers. */
    public Dense(int inputDim, int units, Activation activation, Rng rng) {
        this(inputDim, units, activation, true, Initializer.glorotUniform(), Initializer.zeros(), rng);
    }

    public Dense(int inputDim, int units, Activation activation, boolean useBias,
                 Initializer kernelInitializer, Initializer biasInitializer, Rng rng) {
        this(TYPE, inputDim, units, activation, useBias, kernelInitializer, biasInitializer, rng);
    }

    private Dense(String name, int inputDim, int units, Activation activation, boolean useBias,
                  Initializer kernelInitializer, Initializer biasInitializer, Rng rng) {
        super(name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "inputDim", inputDim);
        LayerChecks.positive(where, "units", units);
        LayerChecks.notNull(where, "activation", activation);
        LayerChecks.notNull(where, "kernelInitializer", kernelInitializer);
        LayerChecks.notNull(where, "rng", rng);
        if (useBias) {
            LayerChecks.notNull(where, "biasInitializer", biasInitializer);
        }
        this.inputDim = inputDim;
        this.units = units;
        this.activation = activation;
        // One draw from the caller's stream per layer: a layer's weights do not depend on
        // the sizes of the layers built before it.
        Rng own = rng.split();
        this.kernel = addParameter("kernel", kernelInitializer.create(own, inputDim, units));
        this.bias = useBias ? addParameter("bias", biasInitializer.create(own, units)) : null;
    }

    public static Builder builder(int inputDim, int units) {
        return new Builder(inputDim, units);
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] shape = input.shape();
        if (shape.length == 0 || shape[shape.length - 1] != inputDim) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected input [..., " + inputDim
                    + "], got " + Shape.toString(shape));
        }
        boolean flat = shape.length == 2;
        Tensor rows = flat ? input : Ops.reshape(input, -1, inputDim);
        Tensor b = bias == null ? null : bias.value();
        // Relu and linear layers are one fused op; the others apply their activation after it.
        Tensor y = activation == Activation.RELU
                ? Ops.linearRelu(rows, kernel.value(), b)
                : activation.apply(Ops.linear(rows, kernel.value(), b));
        if (flat) {
            return y;
        }
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = units;
        return Ops.reshape(y, outShape);
    }

    public int inputDim() {
        return inputDim;
    }

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    public boolean useBias() {
        return bias != null;
    }

    /** The {@code [inputDim, units]} weight matrix. */
    public Parameter kernel() {
        return kernel;
    }

    /** The {@code [units]} bias, absent when the layer was built without one. */
    public Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    /** Configures a {@link Dense} layer; every setting has the Keras default. */
    public static final class Builder {
        private final int inputDim;
        private final int units;
        private String name = TYPE;
        private Activation activation = Activation.LINEAR;
        private boolean useBias = true;
        private Initializer kernelInitializer = Initializer.glorotUniform();
        private Initializer biasInitializer = Initializer.zeros();

        private Builder(int inputDim, int units) {
            this.inputDim = inputDim;
            this.units = units;
        }

        public Builder name(String value) {
            this.name = value;
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

        public Builder biasInitializer(Initializer value) {
            this.biasInitializer = Objects.requireNonNull(value, "biasInitializer");
            return this;
        }

        /** Builds the layer, drawing its initial weights from {@code rng}. */
        public Dense build(Rng rng) {
            return new Dense(name, inputDim, units, activation, useBias, kernelInitializer, biasInitializer, rng);
        }
    }
}
