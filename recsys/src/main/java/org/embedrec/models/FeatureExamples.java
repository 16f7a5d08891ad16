package org.embedrec.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.embedrec.data.Interactions;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.nn.train.Dataset;

/**
 * Interaction rows encoded for the feature models: per row the query tower's inputs, the
 * item's catalogue row, the label and the example weight; and the encoded candidate features of
 * the whole catalogue, which the rows of a split share. Batches gather rows; nothing is parsed
 * again.
 */
public final class FeatureExamples implements Dataset<FeatureBatch> {
    private final EncodedFeatures queries;
    private final int[] items;
    private final float[] labels;
    private final float[] weights;
    private final EncodedFeatures catalogue;
    private final int[] negatives;
    private final int negativesPerRow;

    /** Rows as given; {@code labels} and {@code weights} may be null, {@code catalogue} is shared. */
    public FeatureExamples(EncodedFeatures queries, int[] items, float[] labels, float[] weights,
                           EncodedFeatures catalogue) {
        this(queries, items, labels, weights, catalogue, null, 0);
    }

    /** Rows with {@code negativesPerRow} negative catalogue rows each ({@code negatives} null and 0 without). */
    public FeatureExamples(EncodedFeatures queries, int[] items, float[] labels, float[] weights,
                           EncodedFeatures catalogue, int[] negatives, int negativesPerRow) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.items = Objects.requireNonNull(items, "items");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        int n = items.length;
        if (queries.size() != n || labels != null && labels.length != n || weights != null && weights.length != n) {
            throw new IllegalArgumentException("feature examples: " + n + " items, " + queries.size() + " query rows, "
                    + (labels == null ? "no" : labels.length) + " labels, " + (weights == null ? "no" : weights.length)
                    + " weights; expected one of each per row");
        }
        for (int r = 0; r < n; r++) {
            if (items[r] < 0 || items[r] >= catalogue.size()) {
                throw new IllegalArgumentException("feature examples: row " + r + " has item " + items[r]
                        + ", outside the catalogue's " + catalogue.size() + " rows");
            }
        }
        this.labels = labels;
        this.weights = weights;
        if ((negatives == null) != (negativesPerRow == 0)
                || negatives != null && negatives.length != (long) n * negativesPerRow) {
            throw new IllegalArgumentException("feature examples: " + (negatives == null ? "no" : negatives.length)
                    + " negatives for " + n + " rows of " + negativesPerRow);
        }
        this.negatives = negatives;
        this.negativesPerRow = negativesPerRow;
    }

    /**
     * The rows {@code rows} of {@code source} encoded by {@code encoder}: labels from the data's
     * ratings when the spec names a label column, weights from the spec's weight column.
     */
    public static FeatureExamples of(FeatureEncoder encoder, FeatureSource source, Interactions rows,
                                     EncodedFeatures catalogue) {
        FeatureSpec.Data data = encoder.spec().data();
        float[] labels = data.label() != null && rows.hasRatings() ? rows.ratings().clone() : null;
        float[] weights = data.weight() != null ? weights(rows, data.weight()) : null;
        FeatureSpec.RetrievalTask retrieval = encoder.spec().retrieval();
        String column = retrieval == null ? null : retrieval.negatives();
        int perRow = 0;
        int[] negatives = null;
        if (column != null) {
            List<List<Integer>> lists = negatives(rows, column, source.catalogueIds());
            for (List<Integer> l : lists) {
                perRow = Math.max(perRow, l.size());
            }
            if (perRow == 0) {
                throw new IllegalArgumentException("tasks.retrieval.negatives: column '" + column + "' names no item "
                        + "in any row");
            }
            // Rows with fewer negatives repeat theirs, so every row has the same number of columns.
            negatives = new int[rows.size() * perRow];
            for (int r = 0; r < lists.size(); r++) {
                List<Integer> l = lists.get(r);
                if (l.isEmpty()) {
                    throw new IllegalArgumentException("tasks.retrieval.negatives: row " + (r + 1) + " has no negative "
                            + "in column '" + column + "'; give every row at least one");
                }
                for (int k = 0; k < perRow; k++) {
                    negatives[r * perRow + k] = l.get(k % l.size());
                }
            }
        }
        return new FeatureExamples(encoder.encodeQueries(source, rows), rows.itemIds().clone(), labels, weights,
                catalogue, negatives, perRow);
    }

    /** Each row's negatives: the {@code |}-separated item ids of {@code column}, as catalogue rows. */
    private static List<List<Integer>> negatives(Interactions rows, String column, List<String> catalogueIds) {
        if (!rows.extraColumnNames().contains(column)) {
            throw new IllegalArgumentException("tasks.retrieval.negatives: no column '" + column + "' in the "
                    + "interactions " + rows.extraColumnNames());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < catalogueIds.size(); i++) {
            index.put(catalogueIds.get(i), i);
        }
        List<String> values = rows.extraColumn(column);
        List<List<Integer>> out = new ArrayList<>(values.size());
        for (int r = 0; r < values.size(); r++) {
            List<Integer> ids = new ArrayList<>();
            for (String id : values.get(r).split("\\|")) {
                String t = id.strip();
                if (t.isEmpty()) {
                    continue;
                }
                Integer i = index.get(t);
                if (i == null) {
                    throw new IllegalArgumentException("tasks.retrieval.negatives: row " + (r + 1) + " names item '" + t
                            + "' in column '" + column + "', which is not in the catalogue");
                }
                ids.add(i);
            }
            out.add(ids);
        }
        return out;
    }

    private static float[] weights(Interactions rows, String column) {
        if (!rows.extraColumnNames().contains(column)) {
            throw new IllegalArgumentException("data.weight: no column '" + column + "' in the interactions "
                    + rows.extraColumnNames());
        }
        List<String> values = rows.extraColumn(column);
        float[] out = new float[values.size()];
        for (int r = 0; r < out.length; r++) {
            String v = values.get(r).strip();
            float w;
            try {
                w = Float.parseFloat(v);
            } catch (NumberFormatException e) {
                w = Float.NaN;
            }
            if (!(w >= 0) || Float.isInfinite(w)) {
                throw new IllegalArgumentException("data.weight: row " + (r + 1) + " has weight '" + v + "' in column '"
                        + column + "', expected a finite number >= 0");
            }
            out[r] = w;
        }
        return out;
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public FeatureBatch batch(int[] indices, int from, int to) {
        int n = to - from;
        int[] itemRows = new int[n];
        float[] l = labels == null ? null : new float[n];
        float[] w = weights == null ? null : new float[n];
        for (int k = 0; k < n; k++) {
            int r = indices[from + k];
            itemRows[k] = items[r];
            if (l != null) {
                l[k] = labels[r];
            }
            if (w != null) {
                w[k] = weights[r];
            }
        }
        int[] neg = null;
        if (negatives != null) {
            neg = new int[n * negativesPerRow];
            for (int k = 0; k < n; k++) {
                System.arraycopy(negatives, indices[from + k] * negativesPerRow, neg, k * negativesPerRow,
                        negativesPerRow);
            }
        }
        return new FeatureBatch(queries.rows(indices, from, to), itemRows, l, w, neg, negativesPerRow);
    }

    /** The query tower's inputs of every row (shared; do not modify). */
    public EncodedFeatures queries() {
        return queries;
    }

    /** The encoded candidate features of every catalogue item. */
    public EncodedFeatures catalogue() {
        return catalogue;
    }

    /** Each row's catalogue item (shared; do not modify). */
    public int[] items() {
        return items;
    }

    /** Each row's label, or null. */
    public float[] labels() {
        return labels;
    }

    /** Each row's example weight, or null when the rows are unweighted. */
    public float[] weights() {
        return weights;
    }

    /** Number of training rows per catalogue item. */
    public int[] itemCounts() {
        int[] counts = new int[catalogue.size()];
        for (int item : items) {
            counts[item]++;
        }
        return counts;
    }
}
