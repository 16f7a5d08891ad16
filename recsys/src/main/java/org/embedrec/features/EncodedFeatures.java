package org.embedrec.features;

import java.util.ArrayList;
import java.util.List;

/**
 * A tower's inputs after preprocessing, for {@link #size()} rows: per input either embedding
 * ids ({@link Ids}: {@code width} per row, one for a categorical or bucketed feature, a padded
 * bag for text and lists) or one float per row ({@link Values}: a normalised number). Batching
 * gathers rows; nothing is parsed or looked up again.
 */
public final class EncodedFeatures {
    /** One input: what a tower needs to build and feed its part for it. */
    public sealed interface Input permits Ids, Values {
        String name();
    }

    /**
     * Embedding ids, {@code width} per row, each in {@code [0, vocabularySize)}; in a bag
     * ({@code width > 1} or text/list) the id {@code padId} marks an empty position.
     */
    public record Ids(String name, int[] ids, int width, int vocabularySize, int padId, boolean bag) implements Input {}

    /** One float per row. */
    public record Values(String name, float[] values) implements Input {}

    private final int size;
    private final List<Input> inputs;

    public EncodedFeatures(int size, List<Input> inputs) {
        this.size = size;
        this.inputs = List.copyOf(inputs);
        for (Input in : this.inputs) {
            int have = in instanceof Ids ids ? ids.ids().length / ids.width() : ((Values) in).values().length;
            if (have != size) {
                throw new IllegalArgumentException("input '" + in.name() + "' has " + have + " rows, expected " + size);
            }
        }
    }

    public int size() {
        return size;
    }

    public List<Input> inputs() {
        return inputs;
    }

    /** Rows {@code rows[from..to)} in that order. */
    public EncodedFeatures rows(int[] rows, int from, int to) {
        int n = to - from;
        List<Input> out = new ArrayList<>(inputs.size());
        for (Input in : inputs) {
            if (in instanceof Ids ids) {
                int w = ids.width();
                int[] src = ids.ids();
                int[] dst = new int[n * w];
                if (w == 1) {
                    // One id per row, the common case: a copy call per element would cost more than the copy.
                    for (int k = 0; k < n; k++) {
                        dst[k] = src[rows[from + k]];
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        System.arraycopy(src, rows[from + k] * w, dst, k * w, w);
                    }
                }
                out.add(new Ids(ids.name(), dst, w, ids.vocabularySize(), ids.padId(), ids.bag()));
            } else {
                Values v = (Values) in;
                float[] dst = new float[n];
                for (int k = 0; k < n; k++) {
                    dst[k] = v.values()[rows[from + k]];
                }
                out.add(new Values(v.name(), dst));
            }
        }
        return new EncodedFeatures(n, out);
    }

    /** Rows {@code [from, to)}. */
    public EncodedFeatures range(int from, int to) {
        int[] rows = new int[to - from];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = from + k;
        }
        return rows(rows, 0, rows.length);
    }
}
