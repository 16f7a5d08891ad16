package org.embedrec.nn.layers;

import java.util.Locale;
import java.util.Objects;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;

/**
 * Applies an {@link Activation} element-wise (softmax: over the last axis); no parameters.
 * Named after the activation by default ({@code "relu"}, {@code "softmax"}). {@link ReLU},
 * {@link Sigmoid}, {@link Tanh} and {@link Softmax} are the same layer under their own names,
 * for stacks that read like Keras's.
 */
public class ActivationLayer extends Layer {
    private final Activation activation;

    public ActivationLayer(Activation activation) {
        this(defaultName(activation), activation);
    }

    public ActivationLayer(String name, Activation activation) {
        super(name);
        LayerChecks.notNull(LayerChecks.where("activation", this), "activation", activation);
        this.activation = activation;
    }

    public final Activation activation() {
        return activation;
    }

    @Override
    public final Tensor apply(Tensor input) {
        return activation.apply(input);
    }

    private static String defaultName(Activation activation) {
        return Objects.requireNonNull(activation, "activation").name().toLowerCase(Locale.ROOT);
    }
}
