package org.embedrec.engine;

import java.util.Arrays;

/**
 * Which steps of a batch of sequences are real and which are padding, for {@code batch}
 * sequences of {@code time} steps: step {@code t} of sequence {@code b} is real when
 * {@link #isValid(int, int) isValid(b, t)}.
 *
 * <p>Sequences are tensors {@code [batch, time, features]} in row-major order: the feature vector
 * of step {@code t} of sequence {@code b} is the {@code features} values from
 * {@code (b * time + t) * features}, so a sequence's steps are contiguous, one after the other.
 * Sequences shorter than {@code time} are padded at the start ({@link #leftPadded}, as sequential
 * recommenders keep the most recent items at the end) or at the end ({@link #rightPadded}, as text
 * is). The recurrent, attention and pooling ops accept either, and any other pattern: a padded step
 * changes no state, takes part in no attention or pooling, and receives no gradient.
 *
 * <p>Immutable.
 */
public final class SequenceMask {
    private final int batch;
    private final int time;
    private final boolean[] valid;

    private SequenceMask(int batch, int time, boolean[] valid) {
        this.batch = batch;
        this.time = time;
        this.valid = valid;
    }

    /** A mask from {@code valid [batch * time]}, row-major (step {@code t} of sequence {@code b} at {@code b * time + t}). */
    public static SequenceMask of(boolean[] valid, int batch, int time) {
        checkSizes(batch, time);
        if (valid.length != (long) batch * time) {
            throw new IllegalArgumentException("SequenceMask: " + valid.length + " flags for " + batch
                    + " sequences of " + time + " steps; expected " + (long) batch * time);
        }
        return new SequenceMask(batch, time, valid.clone());
    }

    /** Real where {@code ids [batch * time]} differ from {@code padId} (Keras's {@code mask_zero} with {@code padId} 0). */
    public static SequenceMask fromIds(int[] ids, int batch, int time, int padId) {
        checkSizes(batch, time);
        if (ids.length != (long) batch * time) {
            throw new IllegalArgumentException("SequenceMask: " + ids.length + " ids for " + batch
                    + " sequences of " + time + " steps; expected " + (long) batch * time);
        }
        boolean[] valid = new boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
            valid[i] = ids[i] != padId;
        }
        return new SequenceMask(batch, time, valid);
    }

    /** Sequence {@code b} holds its {@code lengths[b]} real steps at the end, padding before them. */
    public static SequenceMask leftPadded(int[] lengths, int time) {
        return fromLengths(lengths, time, true);
    }

    /** Sequence {@code b} holds its {@code lengths[b]} real steps at the start, padding after them. */
    public static SequenceMask rightPadded(int[] lengths, int time) {
        return fromLengths(lengths, time, false);
    }

    private static SequenceMask fromLengths(int[] lengths, int time, boolean left) {
        checkSizes(lengths.length, time);
        boolean[] valid = new boolean[lengths.length * time];
        for (int b = 0; b < lengths.length; b++) {
            int len = lengths[b];
            if (len < 0 || len > time) {
                throw new IllegalArgumentException("SequenceMask: length " + len + " of sequence " + b
                        + " is outside [0, " + time + "]");
            }
            int from = b * time + (left ? time - len : 0);
            Arrays.fill(valid, from, from + len, true);
        }
        return new SequenceMask(lengths.length, time, valid);
    }

    private static void checkSizes(int batch, int time) {
        if (batch < 0 || time < 0) {
            throw new IllegalArgumentException("SequenceMask: " + batch + " sequences of " + time
                    + " steps; expected sizes >= 0");
        }
    }

    public int batch() {
        return batch;
    }

    public int time() {
        return time;
    }

    /** True when step {@code t} of sequence {@code b} is real, false when it is padding. */
    public boolean isValid(int b, int t) {
        return valid[b * time + t];
    }

    /** The number of real steps of sequence {@code b}. */
    public int length(int b) {
        int n = 0;
        for (int t = 0, i = b * time; t < time; t++, i++) {
            n += valid[i] ? 1 : 0;
        }
        return n;
    }

    /**
     * The mask as numbers {@code [batch, time, 1]}: 1 at real steps, 0 at padding, so that
     * {@code Ops.mul(sequences, mask.asTensor())} zeroes the padded steps of {@code [batch, time,
     * features]} (as SASRec does after each block). A constant: it takes no gradient.
     */
    public Tensor asTensor() {
        Tensor t = Tensor.zeros(batch, time, 1);
        float[] d = t.data();
        for (int i = 0; i < valid.length; i++) {
            d[i] = valid[i] ? 1f : 0f;
        }
        return t;
    }

    /**
     * Throws unless this mask covers {@code batch} sequences of {@code time} steps; the message
     * names {@code what} (an op or layer) and both shapes.
     */
    public void checkCovers(String what, int batch, int time) {
        if (this.batch != batch || this.time != time) {
            throw new IllegalArgumentException(what + ": the mask covers " + this.batch + " sequences of "
                    + this.time + " steps, the input " + batch + " sequences of " + time + " steps");
        }
    }

    /** The flags, row-major, for ops that read them in a hot loop. */
    boolean[] flags() {
        return valid;
    }
}
