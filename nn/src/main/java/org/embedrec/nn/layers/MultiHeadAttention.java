package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;
import org.embedrec.nn.SequenceLayer;

/**
 * Multi-head attention as in "Attention Is All You Need" and Keras's {@code MultiHeadAttention}:
 * queries, keys and values are projected to {@code heads} heads of {@code keyDim} (values
 * {@code valueDim}) features, each head attends with scaled dot products
 * {@code softmax(Q K^T / sqrt(keyDim)) V}, and the heads' outputs, side by side, are projected to
 * {@code outputDim} features:
 * <pre>
 * out = concat_h(attention(x_q W^Q_h, x_kv W^K_h, x_kv W^V_h)) W^O
 * </pre>
 * Inputs are sequences {@code [batch, time, inputDim]}; the query and key/value sequences may differ
 * in length. A query sees no padded key; with {@code causal} (SASRec's self-attention) a query sees
 * no later step either. Padded queries output zeros. While training, the attention weights are
 * dropped out at {@code dropout} (the layer's own random stream).
 *
 * <p>The projections are the child {@link Dense} layers {@code query}, {@code key}, {@code value}
 * and {@code attention_output}, each one product over all steps; parameters are
 * {@code query/kernel}, {@code query/bias}, and so on.
 *
 * <pre>{@code
 * MultiHeadAttention attention = MultiHeadAttention.builder(50, 1, 50).causal(true).dropout(0.2).build(rng);
 * Tensor y = attention.apply(x, SequenceMask.leftPadded(lengths, 200));   // self-attention
 * }</pre>
 */
public final class MultiHeadAttention extends Layer implements SequenceLayer {
    static final String TYPE = "multi_head_attention";

    private final int inputDim;
    private final int heads;
    private final int keyDim;
    private final int valueDim;
    private final boolean causal;
    private final float dropout;
    private final Rng rng;
    private final Dense query;
    private final Dense key;
    private final Dense value;
    private final Dense output;

    private MultiHeadAttention(Builder b, Rng rng) {
        super(b.name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "inputDim", b.inputDim);
        LayerChecks.positive(where, "heads", b.heads);
        LayerChecks.positive(where, "keyDim", b.keyDim);
        LayerChecks.positive(where, "valueDim", b.valueDim);
        LayerChecks.positive(where, "outputDim", b.outputDim);
        LayerChecks.notNull(where, "rng", rng);
        if (!(b.dropout >= 0 && b.dropout < 1)) {
            throw new IllegalArgumentException(where + "dropout must be in [0, 1), got " + b.dropout);
        }
        this.inputDim = b.inputDim;
        this.heads = b.heads;
        this.keyDim = b.keyDim;
        this.valueDim = b.valueDim;
        this.causal = b.causal;
        this.dropout = (float) b.dropout;
        this.query = addChild(Dense.builder(inputDim, heads * keyDim).name("query").useBias(b.useBias).build(rng));
        this.key = addChild(Dense.builder(inputDim, heads * keyDim).name("key").useBias(b.useBias).build(rng));
        this.value = addChild(Dense.builder(inputDim, heads * valueDim).name("value").useBias(b.useBias).build(rng));
        this.output = addChild(Dense.builder(heads * valueDim, b.outputDim).name("attention_output")
                .useBias(b.useBias).build(rng));
        // Registered, so that a checkpoint saves where the attention-dropout masks are.
        this.rng = addRandomStream("attention_dropout", rng.split());
    }

    /** Attention over {@code inputDim} features with {@code heads} heads of {@code keyDim} features each. */
    public static Builder builder(int inputDim, int heads, int keyDim) {
        return new Builder(inputDim, heads, keyDim);
    }

    /** Self-attention, every step real. */
    @Override
    public Tensor apply(Tensor sequences) {
        return apply(sequences, sequences, null, null);
    }

    /** Self-attention: {@code mask} marks the padded steps, as queries and as keys. */
    @Override
    public Tensor apply(Tensor sequences, SequenceMask mask) {
        return apply(sequences, sequences, mask, mask);
    }

    /**
     * {@code queries [batch, Tq, inputDim]} attending to {@code keysAndValues [batch, Tk, inputDim]};
     * either mask may be null. Returns {@code [batch, Tq, outputDim]}.
     */
    public Tensor apply(Tensor queries, Tensor keysAndValues, SequenceMask queryMask, SequenceMask keyMask) {
        checkSequences("queries", queries);
        checkSequences("keys and values", keysAndValues);
        if (queries.dim(0) != keysAndValues.dim(0)) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "queries "
                    + Shape.toString(queries.shape()) + " and keys and values " + Shape.toString(keysAndValues.shape())
                    + " have different batch sizes");
        }
        if (causal && queries.dim(1) != keysAndValues.dim(1)) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "causal attention needs as many "
                    + "queries as keys, got " + queries.dim(1) + " and " + keysAndValues.dim(1));
        }
        float rate = isTraining() ? dropout : 0f;
        Tensor attended = Ops.attention(query.apply(queries), key.apply(keysAndValues), value.apply(keysAndValues),
                heads, causal, queryMask, keyMask, rate, rate > 0f ? rng : null);
        return output.apply(attended);
    }

    /**
     * Attention within packed sequences: {@code queries} and {@code keysAndValues}, both
     * {@code [rows, inputDim]}, hold sequence {@code s} at rows {@code [starts[s], starts[s + 1])},
     * real steps only, and each row attends to its own sequence's rows (no later one when causal).
     * Returns {@code [rows, outputDim]}: the rows {@link #apply(Tensor, Tensor, SequenceMask,
     * SequenceMask)} gives at the real steps of the same sequences padded, without the padding's cost.
     */
    public Tensor applyPacked(Tensor queries, Tensor keysAndValues, int[] starts) {
        for (Tensor x : new Tensor[] {queries, keysAndValues}) {
            if (x.rank() != 2 || x.dim(1) != inputDim || x.dim(0) != queries.dim(0)) {
                throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected packed queries and keys "
                        + "[rows, " + inputDim + "] of the same rows, got " + Shape.toString(queries.shape()) + " and "
                        + Shape.toString(keysAndValues.shape()));
            }
        }
        float rate = isTraining() ? dropout : 0f;
        Tensor attended = Ops.packedAttention(query.apply(queries), key.apply(keysAndValues),
                value.apply(keysAndValues), heads, causal, starts, rate, rate > 0f ? rng : null);
        return output.apply(attended);
    }

    private void checkSequences(String what, Tensor x) {
        if (x.rank() != 3 || x.dim(2) != inputDim) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected " + what + " [batch, time, "
                    + inputDim + "], got " + Shape.toString(x.shape()));
        }
    }

    public int inputDim() {
        return inputDim;
    }

    public int heads() {
        return heads;
    }

    public int keyDim() {
        return keyDim;
    }

    public int valueDim() {
        return valueDim;
    }

    public int outputDim() {
        return output.units();
    }

    public boolean causal() {
        return causal;
    }

    public float dropout() {
        return dropout;
    }

    /** Configures a {@link MultiHeadAttention}; defaults as Keras: valueDim = keyDim, outputDim = inputDim, biases, no dropout. */
    public static final class Builder {
        private final int inputDim;
        private final int heads;
        private final int keyDim;
        private int valueDim;
        private int outputDim;
        private String name = TYPE;
        private boolean causal;
        private boolean useBias = true;
        private double dropout;

        private Builder(int inputDim, int heads, int keyDim) {
            this.inputDim = inputDim;
            this.heads = heads;
            this.keyDim = keyDim;
            this.valueDim = keyDim;
            this.outputDim = inputDim;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder valueDim(int value) {
            this.valueDim = value;
            return this;
        }

        public Builder outputDim(int value) {
            this.outputDim = value;
            return this;
        }

        /** Each query sees only its own and earlier steps. */
        public Builder causal(boolean value) {
            this.causal = value;
            return this;
        }

        public Builder useBias(boolean value) {
            this.useBias = value;
            return this;
        }

        /** Dropout rate on the attention weights while training. */
        public Builder dropout(double value) {
            this.dropout = value;
            return this;
        }

        /** Builds the layer, drawing its initial weights and dropout stream from {@code rng}. */
        public MultiHeadAttention build(Rng rng) {
            return new MultiHeadAttention(this, rng);
        }
    }
}
