package org.embedrec.models.sequential;

import java.util.Arrays;
import org.embedrec.data.UserSequences;
import org.embedrec.engine.Rng;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.train.Dataset;

/**
 * Training examples of a next-item model, one per user with at least two training items: the
 * user's most recent {@code maxLength + 1} items give the input (all but the last) and the target
 * at every step (the item after it). A batch is left-padded to its longest input. With
 * {@code negatives}, each step also gets one item the user never interacted with, drawn uniformly
 * from a stream seeded once, as SASRec's reference sampler does; batches are asked for in the
 * training loop's fixed order, so one seed gives the same negatives.
 */
public final class NextItemExamples implements Dataset<SequenceBatch> {
    private final UserSequences sequences;
    private final int[] users;
    private final int maxLength;
    private final Rng negativeSampler;
    private boolean[] seen;

    /** {@code negativeSeed} null: no negatives drawn. */
    public NextItemExamples(UserSequences sequences, int maxLength, Long negativeSeed) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("max length must be at least 1, got " + maxLength);
        }
        this.sequences = sequences;
        this.maxLength = maxLength;
        this.users = java.util.stream.IntStream.range(0, sequences.numUsers())
                .filter(u -> sequences.length(u) >= 2).toArray();
        this.negativeSampler = negativeSeed == null ? null : new Rng(negativeSeed);
        this.seen = new boolean[sequences.numItems()];
    }

    @Override
    public int size() {
        return users.length;
    }

    @Override
    public SequenceBatch batch(int[] indices, int from, int to) {
        int b = to - from;
        int[][] inputs = new int[b][];
        int[][] targets = new int[b][];
        int[][] negatives = negativeSampler == null ? null : new int[b][];
        int time = 1;
        for (int s = 0; s < b; s++) {
            int u = users[indices[from + s]];
            int[] seq = sequences.items(u);
            int start = Math.max(0, seq.length - 1 - maxLength);
            inputs[s] = Arrays.copyOfRange(seq, start, seq.length - 1);
            targets[s] = Arrays.copyOfRange(seq, start + 1, seq.length);
            time = Math.max(time, inputs[s].length);
            if (negatives != null) {
                negatives[s] = drawNegatives(seq, targets[s].length);
            }
        }
        return SequenceBatch.of(inputs, time, targets, negatives);
    }

    /** Where the negatives' stream is, so that a resumed run draws the uninterrupted run's negatives. */
    @Override
    public void saveState(String prefix, TrainingState out) {
        if (negativeSampler != null) {
            out.putRng(prefix + "negatives", negativeSampler);
        }
    }

    @Override
    public void restoreState(String prefix, TrainingState in) {
        if (negativeSampler != null) {
            in.restoreRng(prefix + "negatives", negativeSampler);
        }
    }

    private int[] drawNegatives(int[] seq, int count) {
        for (int item : seq) {
            seen[item] = true;
        }
        int[] out = new int[count];
        int n = seen.length;
        if (seq.length >= n) {
            throw new IllegalStateException("a user has interacted with every item: no negative can be drawn");
        }
        for (int i = 0; i < count; i++) {
            int j;
            do {
                j = negativeSampler.nextInt(n);
            } while (seen[j]);
            out[i] = j;
        }
        for (int item : seq) {
            seen[item] = false;
        }
        return out;
    }
}
