package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;

/** The Elman network: {@code h' = tanh(x W + b + h U)}. States, masks and outputs as every {@link RecurrentLayer}. */
public final class SimpleRNN extends RecurrentLayer {
    static final String TYPE = "simple_rnn";

    /** A simple RNN returning its last state. */
    public SimpleRNN(int inputDim, int units, Rng rng) {
        this(TYPE, inputDim, units, false, rng);
    }

    private SimpleRNN(String name, int inputDim, int units, boolean returnSequences, Rng rng) {
        super(TYPE, name, 1, inputDim, units, returnSequences, Initializer.zeros(), false, rng);
    }

    public static Builder<SimpleRNN> builder(int inputDim, int units) {
        return new Builder<>(SimpleRNN::new, TYPE, inputDim, units);
    }

    @Override
    Tensor recur(Tensor preActivations, Tensor recurrentKernel, Tensor recurrentBias, SequenceMask mask,
                 boolean returnSequences) {
        return Ops.simpleRnn(preActivations, recurrentKernel, recurrentBias, mask, returnSequences);
    }
}
