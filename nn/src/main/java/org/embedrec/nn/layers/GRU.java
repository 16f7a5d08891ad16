package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;

/**
 * Gated recurrent unit, in the form Keras ({@code reset_after=True}), PyTorch and cuDNN share:
 * <pre>
 * z = sigmoid(x W_z + b_z + h U_z + rb_z)
 * r = sigmoid(x W_r + b_r + h U_r + rb_r)
 * n = tanh(x W_n + b_n + r * (h U_n + rb_n))
 * h' = z * h + (1 - z) * n
 * </pre>
 * Gate blocks in the kernels in the order z, r, n. The state, masks and outputs are those of every
 * {@link RecurrentLayer}.
 *
 * <pre>{@code
 * GRU gru = GRU.builder(64, 100).returnSequences(true).build(rng);     // GRU4Rec's hidden states
 * Tensor states = gru.apply(itemEmbeddings, SequenceMask.leftPadded(lengths, 50));
 * }</pre>
 */
public final class GRU extends RecurrentLayer {
    static final String TYPE = "gru";

    /** A GRU returning its last state. */
    public GRU(int inputDim, int units, Rng rng) {
        this(TYPE, inputDim, units, false, rng);
    }

    private GRU(String name, int inputDim, int units, boolean returnSequences, Rng rng) {
        super(TYPE, name, 3, inputDim, units, returnSequences, Initializer.zeros(), true, rng);
    }

    public static Builder<GRU> builder(int inputDim, int units) {
        return new Builder<>(GRU::new, TYPE, inputDim, units);
    }

    @Override
    Tensor recur(Tensor preActivations, Tensor recurrentKernel, Tensor recurrentBias, SequenceMask mask,
                 boolean returnSequences) {
        return Ops.gru(preActivations, recurrentKernel, recurrentBias, mask, returnSequences);
    }
}
