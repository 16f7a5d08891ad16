package org.embedrec.models.sequential;

import java.util.Locale;
import org.embedrec.data.UserSequences;

/**
 * Whether a sequential model can be trained in this heap, decided before anything is allocated:
 * its weights with Adam's two slots (and early stopping's copy), and the activations of one
 * batch, four bytes a float. The activations are counted from below, only the largest arrays a
 * step holds at once with their gradients: with the full softmax, the logits over the whole
 * catalogue at every step of the batch ({@code batch x steps x items}); for sasrec, each block's
 * attention scores and probabilities ({@code batch x heads x steps x steps}); the hidden states of
 * each layer. Steps are the longest training input, at most {@code maxLength}, as batches are
 * padded to it; a batch holds at most every training example. Refused when the sum passes 80% of the heap, like {@link org.embedrec.models.HeapBudget}.
 */
public final class SequentialMemory {
    static final double SHARE = 0.8;
    /** Floats of the logits a step holds at once: the logits, the softmax, their gradient. */
    private static final int LOGIT_COPIES = 3;
    /** Floats per block of the attention maps: scores, probabilities, the dropout mask, the gradient. */
    private static final int ATTENTION_COPIES = 4;
    /** Hidden-state arrays of width {@code dim} a layer keeps for its backward pass, with their gradients (at least). */
    private static final int HIDDEN_COPIES = 12;

    private SequentialMemory() {}

    /** The estimate, in floats: weights with optimizer slots, and a batch's activations, the largest named. */
    public record Estimate(long weightFloats, long activationFloats, String largest) {
        public double gigabytes() {
            return (double) saturatingAdd(weightFloats, activationFloats) * Float.BYTES / 1e9;
        }
    }

    /** The estimate for {@code config} trained on {@code train}. */
    public static Estimate estimate(SequentialConfig config, UserSequences train) {
        long items = train.numItems() + 1L;
        long dim = config.embeddingDim();
        long steps = Math.min(config.maxLength(), Math.max(1, longestInput(train)));
        long batch = Math.min(config.batchSize(), Math.max(1, examples(train)));
        long layers = config.layers();
        boolean sasrec = config.model().equals(SasRec.NAME);
        int copies = 3 + (config.patience() > 0 ? 1 : 0); // the weights, Adam's two moments, the best copy

        // Each array with its copies, the largest of them named in a refusal.
        long itemTable = saturatingMul(items, dim);
        long positionTable = sasrec ? saturatingMul(config.maxLength(), dim) : 0;
        // At least: a block's four attention and two feed-forward kernels, a GRU's six and its bias.
        long layerWeights = saturatingMul(layers, saturatingAdd(saturatingMul(6 * dim, dim), sasrec ? 0 : 3 * dim));
        long hidden = saturatingMul(saturatingMul(batch, steps), saturatingMul(dim, HIDDEN_COPIES * layers));
        long attention = sasrec ? saturatingMul(saturatingMul(batch * config.heads(), saturatingMul(steps, steps)),
                ATTENTION_COPIES * layers) : 0;
        long logits = config.loss() == NextItemLoss.SOFTMAX
                ? saturatingMul(saturatingMul(batch, steps), saturatingMul(train.numItems(), LOGIT_COPIES)) : 0;

        long weightFloats = saturatingMul(saturatingAdd(itemTable, saturatingAdd(positionTable, layerWeights)), copies);
        long activations = saturatingAdd(hidden, saturatingAdd(attention, logits));
        long[] sizes = {saturatingMul(itemTable, copies), saturatingMul(positionTable, copies),
                saturatingMul(layerWeights, copies), logits, attention, hidden};
        String[] names = {
            String.format(Locale.ROOT, "the item table, %,d x %,d", items, dim),
            String.format(Locale.ROOT, "the position table, %,d x %,d", (long) config.maxLength(), dim),
            String.format(Locale.ROOT, "the layers' kernels, %,d x 6 x %,d x %,d", layers, dim, dim),
            String.format(Locale.ROOT, "the full softmax's logits, %,d x %,d steps x %,d items", batch, steps,
                    (long) train.numItems()),
            String.format(Locale.ROOT, "the attention maps, %,d x %,d heads x %,d x %,d steps per block", batch,
                    (long) config.heads(), steps, steps),
            String.format(Locale.ROOT, "the hidden states, %,d x %,d steps x %,d wide per layer", batch, steps, dim)};
        int largest = 0;
        for (int i = 1; i < sizes.length; i++) {
            if (sizes[i] > sizes[largest]) {
                largest = i;
            }
        }
        return new Estimate(weightFloats, activations, names[largest]);
    }

    /**
     * Refuses {@code config} on {@code train} when its estimate passes 80% of {@code maxHeap}
     * bytes; {@code remedy} says what the user can make smaller.
     *
     * @throws IllegalArgumentException with both parts of the estimate, the heap and the largest array
     */
    public static void requireFits(SequentialConfig config, UserSequences train, long maxHeap, String remedy) {
        Estimate e = estimate(config, train);
        if (e.gigabytes() * 1e9 > maxHeap * SHARE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s would need at least %,.1f GB: %,.1f GB of weights with Adam's slots and %,.1f GB of "
                            + "activations a batch, more than the %.1f GB heap can train; the largest is %s. %s, or give Java more "
                            + "heap (-Xmx)", config.model(), e.gigabytes(), e.weightFloats() * 4.0 / 1e9,
                    e.activationFloats() * 4.0 / 1e9, maxHeap / 1e9, e.largest(), remedy));
        }
    }

    /** The longest input a training example has: a user's items but the last. */
    private static int longestInput(UserSequences train) {
        int longest = 0;
        for (int u = 0; u < train.numUsers(); u++) {
            longest = Math.max(longest, train.length(u) - 1);
        }
        return longest;
    }

    /** The users with a training example: at least two items. */
    private static int examples(UserSequences train) {
        int n = 0;
        for (int u = 0; u < train.numUsers(); u++) {
            if (train.length(u) >= 2) {
                n++;
            }
        }
        return n;
    }

    private static long saturatingMul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static long saturatingAdd(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
