package org.embedrec.models.sequential;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.LayerNorm;
import org.embedrec.nn.layers.MultiHeadAttention;
import org.embedrec.nn.layers.PositionalEmbedding;
import org.embedrec.nn.Module;
import org.embedrec.nn.Activation;

/**
 * SASRec (Kang and McAuley, 2018) as its reference implementation computes it: item embeddings
 * scaled by {@code sqrt(dim)} plus learned positional embeddings, dropout, then {@code blocks}
 * blocks of
 * <pre>
 * q = LayerNorm(x);  x = q + CausalSelfAttention(q, x);  x = LayerNorm(x);
 * x = x + Dropout(Dense(Dropout(ReLU(Dense(x)))))
 * </pre>
 * and a final layer norm; the state at each step is scored against the item table. Positions are
 * counted back from the most recent step, so a history reads the same whatever the batch's padded
 * length; padded steps are masked out of the attention.
 *
 * <p>{@link #encode} is that definition on the padded batch. Training and ranking read
 * {@link #encodeReal}, the same computation on the real steps alone, packed one sequence after the
 * other: every layer but attention works row by row, and attention runs within each sequence
 * ({@link MultiHeadAttention#applyPacked}), so padding costs nothing. With histories of MovieLens
 * 100K at length 200, 44% of the padded steps and 30% of the padded attention are real.
 */
public final class SasRec extends SequenceEncoder {
    public static final String NAME = "sasrec";
    /** The reference implementation's layer-norm epsilon. */
    static final double LAYER_NORM_EPSILON = 1e-8;

    private final PositionalEmbedding positions;
    private final Dropout inputDropout;
    private final Block[] blocks;
    private final LayerNorm last;
    private final float scale;

    /** A model whose weights start as the authors' TensorFlow code starts them ({@link SasRecInit#REFERENCE_TF}). */
    public SasRec(int numItems, int dim, int blocks, int heads, int maxLength, double dropoutRate, Rng rng) {
        this(numItems, dim, blocks, heads, maxLength, dropoutRate, SasRecInit.REFERENCE_TF, rng);
    }

    /** A model whose weights start as {@code init} says. */
    public SasRec(int numItems, int dim, int blocks, int heads, int maxLength, double dropoutRate, SasRecInit init,
                  Rng rng) {
        super(NAME, numItems, dim, maxLength, rng);
        if (blocks < 1 || heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("sasrec: blocks and heads must be positive and heads must divide the "
                    + "embedding width, got " + blocks + " blocks, " + heads + " heads, width " + dim);
        }
        this.positions = addChild(new PositionalEmbedding("positions", maxLength, dim, rng));
        this.inputDropout = addChild(new Dropout(dropoutRate, rng));
        this.blocks = new Block[blocks];
        for (int i = 0; i < blocks; i++) {
            this.blocks[i] = addChild(new Block("block_" + i, dim, heads, dropoutRate, rng));
        }
        this.last = addChild(new LayerNorm("last_norm", dim, LAYER_NORM_EPSILON));
        this.scale = (float) Math.sqrt(dim);
        if (init != SasRecInit.REFERENCE_TF) {
            // A stream of its own, split after the layers drew theirs.
            init.apply(this, rng.split());
        }
    }

    @Override
    public Tensor encode(SequenceBatch batch) {
        int time = batch.time();
        Tensor x = Ops.scale(items.lookup(batch.tokens(), batch.batch(), time), scale);
        Tensor table = positions.embeddings().value();
        // The most recent step takes the last position row whatever the padded length.
        int rows = positions.maxLength();
        Tensor pos = time == rows ? table : Ops.slice(table, 0, rows - time, rows);
        x = inputDropout.apply(Ops.add(x, pos));
        for (Block block : blocks) {
            x = block.apply(x, batch);
        }
        return last.apply(x);
    }

    @Override
    public Tensor encodeReal(SequenceBatch batch) {
        int[] real = batch.realPositions();
        int[] starts = batch.realStarts();
        int time = batch.time();
        int rows = positions.maxLength();
        int[] tokens = new int[real.length];
        int[] at = new int[real.length];
        for (int i = 0; i < real.length; i++) {
            tokens[i] = batch.tokens()[real[i]];
            // The position row encode gives this step: counted back from the padded batch's end.
            at[i] = rows - time + real[i] % time;
        }
        Tensor x = Ops.scale(items.lookup(tokens, real.length), scale);
        x = inputDropout.apply(Ops.add(x, Ops.gatherRows(positions.embeddings().value(), at)));
        for (Block block : blocks) {
            x = block.applyPacked(x, starts);
        }
        return last.apply(x);
    }

    /** One self-attention block with its point-wise feed-forward part. */
    private static final class Block extends Module {
        private final LayerNorm attentionNorm;
        private final MultiHeadAttention attention;
        private final LayerNorm forwardNorm;
        private final Dense inner;
        private final Dense outer;
        private final Dropout innerDropout;
        private final Dropout outerDropout;

        Block(String name, int dim, int heads, double dropoutRate, Rng rng) {
            super(name);
            this.attentionNorm = addChild(new LayerNorm("attention_norm", dim, LAYER_NORM_EPSILON));
            this.attention = addChild(MultiHeadAttention.builder(dim, heads, dim / heads).name("attention")
                    .causal(true).dropout(dropoutRate).build(rng));
            this.forwardNorm = addChild(new LayerNorm("forward_norm", dim, LAYER_NORM_EPSILON));
            this.inner = addChild(Dense.builder(dim, dim).name("inner").activation(Activation.RELU).build(rng));
            this.innerDropout = addChild(new Dropout("inner_dropout", dropoutRate, rng));
            this.outer = addChild(Dense.builder(dim, dim).name("outer").build(rng));
            this.outerDropout = addChild(new Dropout("outer_dropout", dropoutRate, rng));
        }

        Tensor apply(Tensor x, SequenceBatch batch) {
            Tensor q = attentionNorm.apply(x);
            Tensor attended = attention.apply(q, x, batch.mask(), batch.mask());
            Tensor h = forwardNorm.apply(Ops.add(q, attended));
            Tensor f = outerDropout.apply(outer.apply(innerDropout.apply(inner.apply(h))));
            return Ops.add(h, f);
        }

        /** {@link #apply} on packed real steps, sequence {@code s} at rows {@code [starts[s], starts[s + 1])}. */
        Tensor applyPacked(Tensor x, int[] starts) {
            Tensor q = attentionNorm.apply(x);
            Tensor attended = attention.applyPacked(q, x, starts);
            Tensor h = forwardNorm.apply(Ops.add(q, attended));
            Tensor f = outerDropout.apply(outer.apply(innerDropout.apply(inner.apply(h))));
            return Ops.add(h, f);
        }
    }
}
