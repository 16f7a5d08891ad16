package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;

/**
 * Learned positional embeddings, as SASRec and BERT use them: a trainable table
 * {@code [maxLength, dim]} whose row {@code t} is added to step {@code t} of every sequence,
 * {@code [batch, time, dim] -> [batch, time, dim]}, {@code time <= maxLength}. Positions count from
 * the first step of the tensor, padding included: left-padded sequences keep their most recent step
 * at position {@code time - 1}. Initial values Glorot uniform, as keras-nlp's
 * {@code PositionEmbedding}; parameter {@code embeddings}.
 */
public final class PositionalEmbedding extends Layer {
    static final String TYPE = "positional_embedding";

    private final int maxLength;
    private final int dim;
    private final Parameter table;

    public PositionalEmbedding(int maxLength, int dim, Rng rng) {
        this(TYPE, maxLength, dim, rng);
    }

    public PositionalEmbedding(String name, int maxLength, int dim, Rng rng) {
        super(name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "maxLength", maxLength);
        LayerChecks.positive(where, "dim", dim);
        LayerChecks.notNull(where, "rng", rng);
        this.maxLength = maxLength;
        this.dim = dim;
        this.table = addParameter("embeddings", Initializer.glorotUniform().create(rng.split(), maxLength, dim));
    }

    /** {@code sequences} plus the embeddings of their positions. */
    @Override
    public Tensor apply(Tensor sequences) {
        int[] shape = sequences.shape();
        if (shape.length != 3 || shape[2] != dim || shape[1] > maxLength) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected sequences [batch, time <= "
                    + maxLength + ", " + dim + "], got " + Shape.toString(shape));
        }
        return Ops.add(sequences, positions(shape[1]));
    }

    /** The embeddings of positions {@code 0 .. length - 1}: {@code [length, dim]}. */
    public Tensor positions(int length) {
        if (length < 0 || length > maxLength) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "length " + length
                    + " is outside [0, " + maxLength + "]");
        }
        return length == maxLength ? table.value() : Ops.slice(table.value(), 0, 0, length);
    }

    public int maxLength() {
        return maxLength;
    }

    public int dim() {
        return dim;
    }

    /** The {@code [maxLength, dim]} table. */
    public Parameter embeddings() {
        return table;
    }
}
