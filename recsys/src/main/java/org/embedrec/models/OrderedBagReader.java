package org.embedrec.models;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.TowerInput;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.GRU;
import org.embedrec.nn.layers.LayerNorm;
import org.embedrec.nn.layers.MultiHeadAttention;
import org.embedrec.nn.layers.PositionalEmbedding;

/**
 * How a tower reads a bag whose entries are in order, oldest first (a history of items): the
 * sequential query tower of TensorFlow Recommenders' sequential retrieval tutorial. Either a GRU
 * of the embedding width, whose state after each row's last entry is the row's vector (padding
 * masked out, so it leaves the state as it was), or one block of causal self-attention over the
 * entries plus learned positions, {@code LayerNorm(x + Attention(x))} as a SASRec block begins,
 * whose output at the last entry is the row's vector. An empty bag reads as zeros either way.
 */
final class OrderedBagReader extends Module {
    static final String GRU_POOLING = "gru";
    static final String ATTENTION_POOLING = "attention";

    private final GRU gru;
    private final PositionalEmbedding positions;
    private final MultiHeadAttention attention;
    private final LayerNorm norm;

    private OrderedBagReader(String name, GRU gru, PositionalEmbedding positions, MultiHeadAttention attention,
                             LayerNorm norm) {
        super(name);
        this.gru = gru == null ? null : addChild(gru);
        this.positions = positions == null ? null : addChild(positions);
        this.attention = attention == null ? null : addChild(attention);
        this.norm = norm == null ? null : addChild(norm);
    }

    /** The reader {@code in.sequencePooling()} names, its parameters under {@code <input>_<pooling>}. */
    static OrderedBagReader of(TowerInput in, Rng rng) {
        int dim = in.embeddingDim();
        String name = in.name() + "_" + in.sequencePooling();
        return switch (in.sequencePooling()) {
            case GRU_POOLING -> new OrderedBagReader(name, GRU.builder(dim, dim).name("gru").build(rng), null, null,
                    null);
            case ATTENTION_POOLING -> new OrderedBagReader(name, null,
                    new PositionalEmbedding("positions", in.sequenceLength(), dim, rng),
                    MultiHeadAttention.builder(dim, 1, dim).name("attention").causal(true).build(rng),
                    new LayerNorm("norm", dim, 1e-6));
            default -> throw new IllegalArgumentException("input '" + in.name() + "': no ordered pooling '"
                    + in.sequencePooling() + "'; expected gru or attention");
        };
    }

    /** The vectors {@code [n, dim]} of {@code n} rows of ordered bags, looked up in {@code table}. */
    Tensor read(Embedding table, EncodedFeatures.Ids ids, int n) {
        int width = ids.width();
        Tensor steps = table.lookup(ids.ids(), n, width);
        SequenceMask mask = SequenceMask.fromIds(ids.ids(), n, width, ids.padId());
        if (gru != null) {
            return gru.apply(steps, mask);
        }
        Tensor x = positions.apply(steps);
        Tensor h = norm.apply(Ops.add(x, attention.apply(x, x, mask, mask)));
        // Entries come first and padding after them, so a row's last entry is at its length - 1.
        int[] last = new int[n];
        float[] nonEmpty = new float[n];
        for (int r = 0; r < n; r++) {
            int length = mask.length(r);
            last[r] = r * width + Math.max(length - 1, 0);
            nonEmpty[r] = length > 0 ? 1f : 0f;
        }
        Tensor out = Ops.gatherRows(Ops.reshape(h, n * width, table.embeddings().shape()[1]), last);
        return Ops.mul(out, Tensor.wrap(nonEmpty, n, 1));
    }
}
