package org.embedrec.models;

import org.embedrec.features.EncodedFeatures;

/**
 * A batch of feature rows: the query tower's inputs, each row's item (a catalogue row, whose
 * candidate features the model looks up), and, when the data has them, each row's label and
 * weight (null otherwise) and its {@code negativesPerRow} negative items (catalogue rows, row
 * i's at {@code [i * negativesPerRow, (i + 1) * negativesPerRow)}; null and 0 without).
 */
public record FeatureBatch(EncodedFeatures queries, int[] items, float[] labels, float[] weights, int[] negatives,
                           int negativesPerRow) {

    /** A batch without negatives. */
    public FeatureBatch(EncodedFeatures queries, int[] items, float[] labels, float[] weights) {
        this(queries, items, labels, weights, null, 0);
    }

    public int size() {
        return items.length;
    }

    /** This batch with {@code perRow} negatives per row. */
    public FeatureBatch withNegatives(int[] values, int perRow) {
        if (values.length != items.length * perRow) {
            throw new IllegalArgumentException("feature batch: " + values.length + " negatives for " + items.length
                    + " rows of " + perRow);
        }
        return new FeatureBatch(queries, items, labels, weights, values, perRow);
    }
}
