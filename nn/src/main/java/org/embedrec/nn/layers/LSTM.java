package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;

/**
 * Long short-term memory, as Keras and PyTorch define it, with a memory {@code c} beside the state:
 * <pre>
 * i, f, o = sigmoid(x W + b + h U) in their blocks     g = tanh(...) in its block
 * c' = f * c + i * g          h' = o * tanh(c')
 * </pre>
 * Gate blocks in Keras's order i, f, g, o; the forget gate's bias starts at 1 (Keras's
 * {@code unit_forget_bias}), so the memory is kept at first. The layer outputs {@code h}; the
 * memory is carried across padded steps like the state.
 */
public final class LSTM extends RecurrentLayer {
    static final String TYPE = "lstm";

    /** An LSTM returning its last state. */
    public LSTM(int inputDim, int units, Rng rng) {
        this(TYPE, inputDim, units, false, rng);
    }

    private LSTM(String name, int inputDim, int units, boolean returnSequences, Rng rng) {
        super(TYPE, name, 4, inputDim, units, returnSequences, unitForgetBias(units), false, rng);
    }

    public static Builder<LSTM> builder(int inputDim, int units) {
        return new Builder<>(LSTM::new, TYPE, inputDim, units);
    }

    /** Zeros but for ones in the forget gate's block. */
    private static Initializer unitForgetBias(int units) {
        return (v, fanIn, fanOut, rng) -> {
            java.util.Arrays.fill(v, 0f);
            java.util.Arrays.fill(v, units, 2 * units, 1f);
        };
    }

    @Override
    Tensor recur(Tensor preActivations, Tensor recurrentKernel, Tensor recurrentBias, SequenceMask mask,
                 boolean returnSequences) {
        return Ops.lstm(preActivations, recurrentKernel, recurrentBias, mask, returnSequences);
    }
}
