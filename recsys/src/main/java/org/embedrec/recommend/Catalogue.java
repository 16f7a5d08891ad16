package org.embedrec.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.embedrec.data.IdMapping;

/**
 * The items a recommender can return, by catalogue row: their raw ids, their attributes (the
 * item table's columns, as text, for filtering and display; {@value #TITLE} is shown as the
 * title) and how often each was interacted with in training, which orders the popularity
 * fallback. Immutable.
 */
public final class Catalogue {
    /** The attribute shown as an item's title. */
    public static final String TITLE = "title";

    private final IdMapping ids;
    private final List<String> attributeNames;
    /** The attribute values, row by row (an answer reads one item's values together). */
    private final AttributeTable values;
    private final int titleColumn;
    private final long[] interactions;
    private final long totalInteractions;
    /** Every row, most interactions first, then by row. */
    private final int[] byPopularity;

    /**
     * A catalogue of {@code itemIds} (row order) with attribute columns {@code attributes}
     * (each a value per row, null for none) and training {@code interactions} per row.
     *
     * @throws IllegalArgumentException if a column or the counts do not have one entry per item,
     *     a count is negative, or an id repeats
     */
    Catalogue(List<String> itemIds, Map<String, String[]> attributes, long[] interactions) {
        this.ids = IdMapping.of(itemIds);
        int n = ids.size();
        this.attributeNames = List.copyOf(attributes.keySet());
        List<String[]> columns = new ArrayList<>(attributeNames.size());
        for (Map.Entry<String, String[]> e : attributes.entrySet()) {
            if (e.getValue().length != n) {
                throw new IllegalArgumentException("item attribute '" + e.getKey() + "': " + e.getValue().length
                        + " values for " + n + " items");
            }
            columns.add(e.getValue());
        }
        this.values = AttributeTable.of(columns, n);
        this.titleColumn = attributeNames.indexOf(TITLE);
        if (interactions.length != n) {
            throw new IllegalArgumentException("item popularity: " + interactions.length + " counts for " + n + " items");
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (interactions[i] < 0) {
                throw new IllegalArgumentException("item popularity: item '" + ids.rawId(i) + "' has a negative count "
                        + interactions[i]);
            }
            total += interactions[i];
        }
        this.interactions = interactions.clone();
        this.totalInteractions = total;
        this.byPopularity = popularityOrder(this.interactions);
    }

    private static int[] popularityOrder(long[] counts) {
        List<Integer> rows = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            rows.add(i);
        }
        rows.sort((x, y) -> counts[x] != counts[y] ? Long.compare(counts[y], counts[x]) : Integer.compare(x, y));
        int[] out = new int[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i);
        }
        return out;
    }

    /** The number of items. */
    public int size() {
        return ids.size();
    }

    /** The raw id of catalogue row {@code row}. */
    public String itemId(int row) {
        return ids.rawId(row);
    }

    /** The catalogue row of a raw item id, or -1 when the catalogue has no such item. */
    public int row(String itemId) {
        return ids.denseId(Objects.requireNonNull(itemId, "itemId"));
    }

    /** The raw item ids in row order. */
    public List<String> itemIds() {
        return ids.rawIds();
    }

    /** The names of the items' attributes, in the item table's order. */
    public List<String> attributeNames() {
        return attributeNames;
    }

    /** Attribute {@code name} of row {@code row}, or null when the item has none or there is no such attribute. */
    public String attribute(int row, String name) {
        int a = attributeNames.indexOf(name);
        return a < 0 ? null : values.get(row, a);
    }

    /** The index of attribute {@code name} for {@link #attribute(int, int)}, or -1. */
    int attributeIndex(String name) {
        return attributeNames.indexOf(name);
    }

    String attribute(int row, int attribute) {
        return values.get(row, attribute);
    }

    /** Every attribute of the item in column order, null where it has none: one read of its row. */
    String[] attributeRow(int row) {
        return values.row(row);
    }

    /** Whether the item's attribute {@code attribute} is the value whose UTF-8 bytes are {@code utf8}. */
    boolean attributeEquals(int row, int attribute, byte[] utf8) {
        return values.valueEquals(row, attribute, utf8);
    }

    /** The item's title attribute, or null. */
    public String title(int row) {
        return titleColumn < 0 ? null : values.get(row, titleColumn);
    }

    /** Every attribute the item has, by name, in the item table's order: a read-only view. */
    public Map<String, String> attributes(int row) {
        Objects.checkIndex(row, size());
        return attributeNames.isEmpty() ? Map.of() : new ItemAttributes(this, row);
    }

    /** The number of training interactions with the item. */
    public long interactions(int row) {
        return interactions[row];
    }

    /** The item's share of all training interactions: its popularity score. */
    public float popularity(int row) {
        return totalInteractions == 0 ? 0f : (float) ((double) interactions[row] / totalInteractions);
    }

    /** Catalogue rows, most interactions first, ties by row; callers must not modify it. */
    int[] rowsByPopularity() {
        return byPopularity;
    }

    /** Attribute column {@code attribute} as strings, made for saving. */
    String[] attributeColumn(int attribute) {
        return values.column(attribute);
    }

    /** The interaction counts, in a new array. */
    long[] interactionCounts() {
        return interactions.clone();
    }
}
