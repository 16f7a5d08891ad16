package org.embedrec.models;

import org.embedrec.features.EncodedFeatures;

/**
 * A batch of feature rows: the query tower's inputs, each row's item (a catalogue row, whose
 * candidate features the model looks up), and, when the data has them, each row's label and
 * weight (null otherwise).
 */
public record FeatureBatch(EncodedFeatures queries, int[] items, float[] labels, float[] weights) {

    public int size() {
        return items.length;
    }
}
