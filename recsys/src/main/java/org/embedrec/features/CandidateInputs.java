package org.embedrec.features;

import java.util.Objects;

/**
 * The candidate side of retrieval examples after preprocessing ({@link CandidateFeatures#encode}):
 * per candidate, the title's lookup id and {@code titleLength} title token ids, row-major,
 * padded with {@link TextVectorization#PAD_ID}. The arrays are shared, not copied; readers never
 * write them.
 */
public record CandidateInputs(int[] titleIds, int[] titleTokens, int titleLength) {

    public CandidateInputs {
        Objects.requireNonNull(titleIds, "titleIds");
        Objects.requireNonNull(titleTokens, "titleTokens");
        if (titleLength < 1) {
            throw new IllegalArgumentException("candidate inputs: titleLength must be >= 1, got " + titleLength);
        }
        if (titleTokens.length != (long) titleIds.length * titleLength) {
            throw new IllegalArgumentException("candidate inputs: " + titleTokens.length + " title tokens for "
                    + titleIds.length + " candidates; expected " + titleLength + " per candidate");
        }
    }

    /** Number of candidates. */
    public int size() {
        return titleIds.length;
    }

    /** The inputs of candidates {@code rows[from..to)}, in that order, in new arrays. */
    public CandidateInputs rows(int[] rows, int from, int to) {
        Objects.checkFromToIndex(from, to, rows.length);
        int n = to - from;
        int[] ids = new int[n];
        int[] tokens = new int[n * titleLength];
        for (int k = 0; k < n; k++) {
            int r = rows[from + k];
            if (r < 0 || r >= titleIds.length) {
                throw new IndexOutOfBoundsException("candidate inputs: row " + r + " at position " + (from + k)
                        + " is outside [0, " + titleIds.length + ")");
            }
            ids[k] = titleIds[r];
            System.arraycopy(titleTokens, r * titleLength, tokens, k * titleLength, titleLength);
        }
        return new CandidateInputs(ids, tokens, titleLength);
    }

    /** The inputs of the contiguous candidates {@code [from, to)}: this object when that is all of them, else new arrays. */
    public CandidateInputs range(int from, int to) {
        Objects.checkFromToIndex(from, to, titleIds.length);
        if (from == 0 && to == titleIds.length) {
            return this;
        }
        int[] ids = java.util.Arrays.copyOfRange(titleIds, from, to);
        int[] tokens = java.util.Arrays.copyOfRange(titleTokens, from * titleLength, to * titleLength);
        return new CandidateInputs(ids, tokens, titleLength);
    }
}
