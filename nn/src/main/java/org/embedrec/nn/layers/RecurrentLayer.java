package org.embedrec.nn.layers;

import java.util.Optional;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.SequenceLayer;

/**
 * What {@link GRU}, {@link LSTM} and {@link SimpleRNN} share: a layer over sequences
 * {@code [batch, time, inputDim]} whose state of {@code units} values starts at zero and is updated
 * step by step. It returns the state after the last step, {@code [batch, units]} (Keras's default),
 * or with {@code returnSequences} the state after every step, {@code [batch, time, units]}. Given a
 * {@link SequenceMask}, a padded step leaves the state as it was, outputs zeros and receives no
 * gradient, so the last state is that after each sequence's last real step whether the sequences are
 * padded at the start or the end.
 *
 * <p>The input kernel {@code W [inputDim, gates * units]} is applied to every step at once, one
 * matrix product for the whole batch and all steps; the loop over steps then costs one product with
 * the recurrent kernel {@code U [units, gates * units]} per step ({@link Ops#gru} and its siblings).
 * Parameters, named as in Keras: {@code kernel} (Glorot uniform), {@code recurrent_kernel}
 * (orthogonal), {@code bias} (zeros) and, for the GRU, {@code recurrent_bias}.
 */
public abstract sealed class RecurrentLayer extends Layer implements SequenceLayer permits GRU, LSTM, SimpleRNN {
    private final String type;
    private final int inputDim;
    private final int units;
    private final boolean returnSequences;
    private final Parameter kernel;
    private final Parameter recurrentKernel;
    private final Parameter bias;
    private final Parameter recurrentBias;

    RecurrentLayer(String type, String name, int gates, int inputDim, int units, boolean returnSequences,
                   Initializer biasInitializer, boolean withRecurrentBias, Rng rng) {
        super(name);
        String where = LayerChecks.where(type, this);
        LayerChecks.positive(where, "inputDim", inputDim);
        LayerChecks.positive(where, "units", units);
        LayerChecks.notNull(where, "rng", rng);
        this.type = type;
        this.inputDim = inputDim;
        this.units = units;
        this.returnSequences = returnSequences;
        Rng own = rng.split();
        this.kernel = addParameter("kernel", Initializer.glorotUniform().create(own, inputDim, gates * units));
        this.recurrentKernel = addParameter("recurrent_kernel", Initializer.orthogonal().create(own, units, gates * units));
        this.bias = addParameter("bias", biasInitializer.create(own, gates * units));
        this.recurrentBias = withRecurrentBias
                ? addParameter("recurrent_bias", Initializer.zeros().create(own, gates * units))
                : null;
    }

    /** The loop over steps on the input pre-activations {@code [batch, time, gates * units]}. */
    abstract Tensor recur(Tensor preActivations, Tensor recurrentKernel, Tensor recurrentBias, SequenceMask mask,
                          boolean returnSequences);

    /** Every step real. */
    @Override
    public Tensor apply(Tensor sequences) {
        return apply(sequences, null);
    }

    @Override
    public Tensor apply(Tensor sequences, SequenceMask mask) {
        int[] shape = sequences.shape();
        if (shape.length != 3 || shape[2] != inputDim) {
            throw new IllegalArgumentException(LayerChecks.where(type, this) + "expected sequences [batch, time, "
                    + inputDim + "], got " + Shape.toString(shape));
        }
        if (mask != null) {
            mask.checkCovers(LayerChecks.named(type, this), shape[0], shape[1]);
        }
        Tensor rows = Ops.reshape(sequences, shape[0] * shape[1], inputDim);
        Tensor pre = Ops.linear(rows, kernel.value(), bias.value());
        Tensor steps = Ops.reshape(pre, shape[0], shape[1], pre.dim(1));
        return recur(steps, recurrentKernel.value(), recurrentBias == null ? null : recurrentBias.value(), mask,
                returnSequences);
    }

    public int inputDim() {
        return inputDim;
    }

    public int units() {
        return units;
    }

    /** True when the layer returns every step's state, false when only the last. */
    public boolean returnSequences() {
        return returnSequences;
    }

    /** The input kernel {@code [inputDim, gates * units]}, gate blocks side by side. */
    public Parameter kernel() {
        return kernel;
    }

    /** The recurrent kernel {@code [units, gates * units]}. */
    public Parameter recurrentKernel() {
        return recurrentKernel;
    }

    /** The input bias {@code [gates * units]}. */
    public Parameter bias() {
        return bias;
    }

    /** The bias inside the recurrent product {@code [gates * units]}: the GRU's, absent for the others. */
    public Optional<Parameter> recurrentBias() {
        return Optional.ofNullable(recurrentBias);
    }

    /** Makes a layer from the builder's settings. */
    @FunctionalInterface
    interface Factory<L extends RecurrentLayer> {
        L create(String name, int inputDim, int units, boolean returnSequences, Rng rng);
    }

    /** Configures a recurrent layer: a name (default the layer's type) and whether it returns every step. */
    public static final class Builder<L extends RecurrentLayer> {
        private final Factory<L> factory;
        private final int inputDim;
        private final int units;
        private String name;
        private boolean returnSequences;

        Builder(Factory<L> factory, String type, int inputDim, int units) {
            this.factory = factory;
            this.name = type;
            this.inputDim = inputDim;
            this.units = units;
        }

        public Builder<L> name(String value) {
            this.name = value;
            return this;
        }

        /** Return every step's state {@code [batch, time, units]} instead of the last {@code [batch, units]}. */
        public Builder<L> returnSequences(boolean value) {
            this.returnSequences = value;
            return this;
        }

        /** Builds the layer, drawing its initial weights from {@code rng}. */
        public L build(Rng rng) {
            return factory.create(name, inputDim, units, returnSequences, rng);
        }
    }
}
