package org.embedrec.tasks;

import java.util.Arrays;
import java.util.Objects;
import org.embedrec.features.CandidateInputs;
import org.embedrec.features.IntIndexMap;

/**
 * The distinct candidates of a retrieval batch: the logit columns of {@link Retrieval}'s loss
 * once repeated items are merged. A batch of B pairs whose positives are catalogue items
 * {@code batchIds}, with N sampled negatives {@code negativeIds} appended as columns, has
 * {@code B + N} columns; here each item is one column {@code u} with {@code count(u)} the number
 * of those columns it fills, and pair i's positive is column {@code label(i)}. The loss over these
 * U columns with their counts ({@link org.embedrec.engine.Ops#sampledSoftmaxCrossEntropy}) equals
 * the loss over all B + N, because a candidate's embedding depends only on its item: the candidate
 * tower runs on U rows instead of B + N and the softmax is U columns wide (on MovieLens 100K,
 * about 790 instead of 2048).
 *
 * <p>Columns are in first-occurrence order (the batch's items, then the negatives not in the
 * batch), so one batch always gives the same columns. Instances are immutable; the accessors
 * return the arrays themselves, which callers must not write.
 */
public final class DistinctCandidates {
    /** Per column: its catalogue id. */
    private final int[] ids;
    /** Per column: how many of the B + N columns hold its item. */
    private final int[] counts;
    /** Per pair: the column of its positive. */
    private final int[] labels;
    /** Per column: the first of the B + N full columns holding it (batch rows, then B + negative position). */
    private final int[] firstColumns;
    /** Per full column (batch rows, then negatives): its distinct column. */
    private final int[] columnOf;
    private final int batchSize;

    private DistinctCandidates(int[] ids, int[] counts, int[] firstColumns, int[] columnOf, int batchSize) {
        this.ids = ids;
        this.counts = counts;
        this.firstColumns = firstColumns;
        this.columnOf = columnOf;
        this.batchSize = batchSize;
        this.labels = Arrays.copyOf(columnOf, batchSize);
    }

    /** The distinct columns of a batch with positives {@code batchIds} and negatives {@code negativeIds} (null: none). */
    public static DistinctCandidates of(int[] batchIds, int[] negativeIds) {
        Objects.requireNonNull(batchIds, "DistinctCandidates: batchIds");
        int b = batchIds.length;
        int n = negativeIds == null ? 0 : negativeIds.length;
        int columns = b + n;
        IntIndexMap columnOfId = new IntIndexMap(columns);
        int[] ids = new int[columns];
        int[] counts = new int[columns];
        int[] first = new int[columns];
        int[] columnOf = new int[columns];
        int u = 0;
        for (int col = 0; col < columns; col++) {
            int id = col < b ? batchIds[col] : negativeIds[col - b];
            int distinct = columnOfId.putIfAbsent(id, u);
            if (distinct < 0) {
                distinct = u++;
                ids[distinct] = id;
                first[distinct] = col;
            }
            counts[distinct]++;
            columnOf[col] = distinct;
        }
        return new DistinctCandidates(Arrays.copyOf(ids, u), Arrays.copyOf(counts, u), Arrays.copyOf(first, u),
                columnOf, b);
    }

    /** Number of distinct columns, U. */
    public int size() {
        return ids.length;
    }

    /** Number of pairs, B. */
    public int batchSize() {
        return batchSize;
    }

    /** Per column, its catalogue id. */
    public int[] ids() {
        return ids;
    }

    /** Per column, how many of the batch's and negatives' columns hold its item (>= 1). */
    public int[] counts() {
        return counts;
    }

    /** Per pair, the column of its positive. */
    public int[] labels() {
        return labels;
    }

    /** Number of sampled negatives, N. */
    public int negativeCount() {
        return columnOf.length - batchSize;
    }

    /**
     * The candidate-tower inputs of the columns, in column order: each taken from the first
     * batch row, or else negative, that holds its item. {@code negativeInputs} may be null when
     * there are no negatives.
     */
    public CandidateInputs inputs(CandidateInputs batchInputs, CandidateInputs negativeInputs) {
        Objects.requireNonNull(batchInputs, "DistinctCandidates: batchInputs");
        if (batchInputs.size() != batchSize) {
            throw new IllegalArgumentException("DistinctCandidates: " + batchInputs.size() + " batch inputs, expected "
                    + batchSize + " (one per pair)");
        }
        int negatives = negativeCount();
        if (negatives > 0 && (negativeInputs == null || negativeInputs.size() != negatives)) {
            throw new IllegalArgumentException("DistinctCandidates: " + (negativeInputs == null ? "no" : negativeInputs.size())
                    + " negative inputs, expected one per negative id");
        }
        int length = batchInputs.titleLength();
        if (negativeInputs != null && negativeInputs.titleLength() != length) {
            throw new IllegalArgumentException("DistinctCandidates: negative inputs have titles of " + negativeInputs.titleLength()
                    + " tokens, expected " + length + " like the batch's");
        }
        int u = ids.length;
        int[] titleIds = new int[u];
        int[] tokens = new int[u * length];
        for (int col = 0; col < u; col++) {
            int from = firstColumns[col];
            CandidateInputs source = from < batchSize ? batchInputs : negativeInputs;
            int row = from < batchSize ? from : from - batchSize;
            titleIds[col] = source.titleIds()[row];
            System.arraycopy(source.titleTokens(), row * length, tokens, col * length, length);
        }
        return new CandidateInputs(titleIds, tokens, length);
    }

    /**
     * Per column, the value its item has in {@code batchValues} (one per pair) or
     * {@code negativeValues} (one per negative): a log sampling probability, say. Every copy of an
     * item must carry the same value, since the columns are merged; null when {@code batchValues} is.
     */
    public float[] columnValues(float[] batchValues, float[] negativeValues) {
        if (batchValues == null) {
            return null;
        }
        if (batchValues.length != batchSize) {
            throw new IllegalArgumentException("DistinctCandidates: " + batchValues.length + " batch values, expected "
                    + batchSize + " (one per pair)");
        }
        int negatives = negativeCount();
        if (negatives > 0 && (negativeValues == null || negativeValues.length != negatives)) {
            throw new IllegalArgumentException("DistinctCandidates: " + (negativeValues == null ? "no" : negativeValues.length)
                    + " negative values, expected " + negatives + " (one per negative)");
        }
        float[] out = new float[ids.length];
        for (int col = 0; col < ids.length; col++) {
            int from = firstColumns[col];
            out[col] = from < batchSize ? batchValues[from] : negativeValues[from - batchSize];
        }
        for (int col = 0; col < columnOf.length; col++) {
            float value = col < batchSize ? batchValues[col] : negativeValues[col - batchSize];
            if (Float.compare(value, out[columnOf[col]]) != 0) {
                throw new IllegalArgumentException("DistinctCandidates: " + (col < batchSize ? "pair " + col
                        : "negative " + (col - batchSize)) + " has value " + value + " but another copy of item "
                        + ids[columnOf[col]] + " has " + out[columnOf[col]] + "; copies of an item must agree");
            }
        }
        return out;
    }
}
