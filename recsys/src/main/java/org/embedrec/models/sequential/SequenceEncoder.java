package org.embedrec.models.sequential;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Embedding;

/**
 * A next-item model: reads a user's item sequence into one state per step, {@code [batch, time,
 * dim]}, and scores every catalogue item as the next one by the dot product of the state with the
 * item's row of the same embedding table the sequence was read through (tied input and output
 * embeddings, as GRU4Rec's and SASRec's reference implementations). The table has one extra row,
 * {@link #PAD}, for padding; item {@code i} is row {@code i + 1}.
 */
public abstract class SequenceEncoder extends Module implements NextItemScorer {
    /** The token of a padded step. */
    public static final int PAD = 0;

    private final int numItems;
    private final int dim;
    private final int maxLength;
    final Embedding items;

    SequenceEncoder(String name, int numItems, int dim, int maxLength, Rng rng) {
        super(name);
        if (numItems < 1 || dim < 1 || maxLength < 1) {
            throw new IllegalArgumentException(name + ": numItems, dim and maxLength must be positive, got " + numItems
                    + ", " + dim + ", " + maxLength);
        }
        this.numItems = numItems;
        this.dim = dim;
        this.maxLength = maxLength;
        // Dense gradient: the output product touches every row each step anyway.
        this.items = addChild(Embedding.builder(numItems + 1, dim).name("items").sparse(false).build(rng));
    }

    /** One state per step of {@code batch}: {@code [batch, time, dim]}; padded steps' states are unspecified. */
    public abstract Tensor encode(SequenceBatch batch);

    /**
     * The states at the batch's real steps only, {@code [real steps, dim]}, in the order of
     * {@link SequenceBatch#realPositions()}: what training and ranking read. These are the rows
     * {@link #encode} gives there; a model that can skip the padding overrides this.
     */
    public Tensor encodeReal(SequenceBatch batch) {
        Tensor states = Ops.reshape(encode(batch), batch.batch() * batch.time(), dim);
        return Ops.gatherRows(states, batch.realPositions());
    }

    /** The output embeddings of {@code itemIds}: {@code [itemIds.length, dim]}. */
    Tensor itemRows(int[] itemIds) {
        int[] rows = new int[itemIds.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = itemIds[i] + 1;
        }
        return Ops.gatherRows(items.embeddings().value(), rows);
    }

    /** The catalogue's output embeddings, item {@code i} at row {@code i}: {@code [numItems, dim]}. */
    public Tensor itemEmbeddings() {
        return Ops.slice(items.embeddings().value(), 0, 1, numItems + 1);
    }

    @Override
    public int numItems() {
        return numItems;
    }

    public int dim() {
        return dim;
    }

    /** The longest history read; longer ones are cut to their most recent {@code maxLength} items. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Next-item scores {@code [histories.length, numItems]} after each history (oldest first,
     * non-empty; only the last {@link #maxLength()} items are read). Inference mode expected.
     */
    @Override
    public float[][] scores(int[][] histories) {
        Tensor logits = Ops.matmul(lastStates(histories), itemEmbeddings(), false, true);
        float[] flat = logits.data();
        float[][] out = new float[histories.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * numItems, (i + 1) * numItems);
        }
        return out;
    }

    /**
     * The state after each history, the query that {@link #scores} multiplies with the item
     * table: {@code [histories.length, dim]}. Histories as {@link #scores} takes them.
     */
    public Tensor lastStates(int[][] histories) {
        int time = 1;
        int[][] cut = new int[histories.length][];
        for (int i = 0; i < histories.length; i++) {
            int[] h = histories[i];
            if (h.length == 0) {
                throw new IllegalArgumentException(name() + ": history " + i + " is empty; a next-item model needs at "
                        + "least one item");
            }
            for (int item : h) {
                if (item < 0 || item >= numItems) {
                    throw new IllegalArgumentException(name() + ": item " + item + " in history " + i
                            + " is outside the catalogue [0, " + numItems + ")");
                }
            }
            cut[i] = h.length <= maxLength ? h : java.util.Arrays.copyOfRange(h, h.length - maxLength, h.length);
            time = Math.max(time, cut[i].length);
        }
        SequenceBatch batch = SequenceBatch.of(cut, time, null, null);
        Tensor states = encodeReal(batch);
        int[] starts = batch.realStarts();
        int[] last = new int[histories.length];
        for (int i = 0; i < last.length; i++) {
            last[i] = starts[i + 1] - 1;
        }
        return Ops.gatherRows(states, last);
    }
}
