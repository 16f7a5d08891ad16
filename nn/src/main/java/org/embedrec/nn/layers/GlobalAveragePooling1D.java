package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;
import org.embedrec.nn.SequenceLayer;

/**
 * The mean over the steps of sequences: {@code [batch, time, channels] -> [batch, channels]}; with
 * a mask, over the real steps only (a sequence with none gives zeros), each real step receiving
 * {@code 1 / length} of the gradient.
 */
public final class GlobalAveragePooling1D extends Layer implements SequenceLayer {
    static final String TYPE = "global_average_pooling1d";

    public GlobalAveragePooling1D() {
        this(TYPE);
    }

    public GlobalAveragePooling1D(String name) {
        super(name);
    }

    @Override
    public Tensor apply(Tensor sequences) {
        return apply(sequences, null);
    }

    @Override
    public Tensor apply(Tensor sequences, SequenceMask mask) {
        if (sequences.rank() != 3) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this)
                    + "expected sequences [batch, time, channels], got " + Shape.toString(sequences.shape()));
        }
        return Ops.globalAveragePool1d(sequences, mask);
    }
}
