package org.embedrec.models;

import java.util.List;
import java.util.Locale;

/**
 * Whether a model's embedding tables can be trained in this heap, decided before any is
 * allocated: the tables' weights plus the optimizer's slots of each weight (two for the Adam
 * family, none for SGD, one for the others), four bytes each, against 80% of the heap, which
 * leaves the rest to batches, activations and dense layers. A model that cannot fit is refused
 * with its sizes and its largest table, instead of failing later with an out-of-memory error.
 */
public final class HeapBudget {
    /** The share of the heap the tables and their slots may take. */
    static final double SHARE = 0.8;

    private HeapBudget() {}

    /** An embedding table: {@code rows} rows of {@code width} weights. */
    public record Table(String name, long rows, long width) {
        /** Its number of weights, saturating at {@code Long.MAX_VALUE}. */
        public long weights() {
            return width != 0 && rows > Long.MAX_VALUE / width ? Long.MAX_VALUE : rows * width;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (%,d x %,d)", name, rows, width);
        }
    }

    /** The slots each weight gets from optimizer {@code name}: 2 for adam and adamw, 0 for sgd, 1 otherwise. */
    public static int optimizerSlots(String name) {
        if (name.startsWith("adam")) {
            return 2;
        }
        return name.equals("sgd") ? 0 : 1;
    }

    /**
     * Refuses {@code tables} trained by {@code optimizer} when they would take more than 80% of
     * {@code maxHeap} bytes; {@code remedy} says what the user can make smaller.
     *
     * @throws IllegalArgumentException with the weights, the bytes, the heap and the largest table
     */
    public static void requireFits(List<Table> tables, String optimizer, long maxHeap, String remedy) {
        long weights = 0;
        Table largest = null;
        for (Table t : tables) {
            weights = t.weights() > Long.MAX_VALUE - weights ? Long.MAX_VALUE : weights + t.weights();
            if (largest == null || t.weights() > largest.weights()) {
                largest = t;
            }
        }
        int slots = optimizerSlots(optimizer);
        double bytes = (double) weights * Float.BYTES * (1 + slots);
        if (bytes > maxHeap * SHARE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the embedding tables hold %,d weights, %.1f GB with %s's %d slot(s) per weight, more than the "
                            + "%.1f GB heap can train; the largest is %s. %s, or give Java more heap (-Xmx)",
                    weights, bytes / 1e9, optimizer, slots, maxHeap / 1e9, largest, remedy));
        }
    }
}
