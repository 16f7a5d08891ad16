package org.embedrec.models.sequential;

import org.embedrec.engine.SequenceMask;

/**
 * A batch of left-padded item sequences for a {@link SequenceEncoder}: {@code tokens [batch * time]}
 * row-major, token {@code item + 1} for an item and {@link SequenceEncoder#PAD} for padding, the
 * {@code mask} of real steps, and, for training, the next item at each real step
 * ({@code targets}, -1 at padding) with one sampled negative per step ({@code negatives}, -1 at
 * padding; null when the loss needs none).
 */
public record SequenceBatch(int[] tokens, int batch, int time, SequenceMask mask, int[] targets, int[] negatives) {

    /** The row-major positions of the real steps, in order. */
    public int[] realPositions() {
        int n = 0;
        for (int t : tokens) {
            if (t != SequenceEncoder.PAD) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] != SequenceEncoder.PAD) {
                out[k++] = i;
            }
        }
        return out;
    }

    /**
     * Where each sequence's real steps begin among {@link #realPositions()}: sequence {@code s}'s are
     * entries {@code [starts[s], starts[s + 1])}; {@code batch + 1} values from 0.
     */
    public int[] realStarts() {
        int[] starts = new int[batch + 1];
        for (int s = 0; s < batch; s++) {
            int n = 0;
            for (int t = s * time; t < (s + 1) * time; t++) {
                if (tokens[t] != SequenceEncoder.PAD) {
                    n++;
                }
            }
            starts[s + 1] = starts[s] + n;
        }
        return starts;
    }

    /** Left-pads {@code histories} (each oldest first, non-empty, at most {@code time} items) into tokens and a mask. */
    static SequenceBatch of(int[][] histories, int time, int[][] targets, int[][] negatives) {
        int b = histories.length;
        int[] tokens = new int[b * time];
        int[] lengths = new int[b];
        int[] targetIds = targets == null ? null : filled(b * time);
        int[] negativeIds = negatives == null ? null : filled(b * time);
        for (int s = 0; s < b; s++) {
            int[] h = histories[s];
            int from = s * time + time - h.length;
            lengths[s] = h.length;
            for (int i = 0; i < h.length; i++) {
                tokens[from + i] = h[i] + 1;
                if (targetIds != null) {
                    targetIds[from + i] = targets[s][i];
                }
                if (negativeIds != null) {
                    negativeIds[from + i] = negatives[s][i];
                }
            }
        }
        return new SequenceBatch(tokens, b, time, SequenceMask.leftPadded(lengths, time), targetIds, negativeIds);
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        return a;
    }
}
