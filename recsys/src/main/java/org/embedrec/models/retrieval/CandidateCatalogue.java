package org.embedrec.models.retrieval;

import java.util.List;
import java.util.Objects;
import org.embedrec.data.RatingsData;
import org.embedrec.features.CandidateFeatures;
import org.embedrec.features.CandidateInputs;

/**
 * Every item a two-tower model retrieves from, in dense item id order: row {@code i} is dense
 * item {@code i} of the data set, with its raw id, its title and its encoded candidate inputs.
 * Factorized top-K accuracy ranks all of these rows, and recommending returns them.
 *
 * <p>Titles come from the data set's item table; a data set without one uses each item's raw id
 * as its title, so the title embedding is then an item id embedding.
 */
public final class CandidateCatalogue {
    private final List<String> itemIds;
    private final String[] titles;
    private final CandidateInputs inputs;

    private CandidateCatalogue(List<String> itemIds, String[] titles, CandidateInputs inputs) {
        this.itemIds = itemIds;
        this.titles = titles;
        this.inputs = inputs;
    }

    /** The title of each dense item of {@code data} (its raw id when the data has no item table). */
    public static String[] titlesOf(RatingsData data) {
        int n = data.interactions().numItems();
        String[] titles = new String[n];
        for (int i = 0; i < n; i++) {
            titles[i] = data.items().isPresent() ? data.items().get().title(i) : data.interactions().items().rawId(i);
        }
        return titles;
    }

    /**
     * A catalogue of items {@code itemIds} (raw ids, in dense order) with these titles, encoded
     * by {@code features}.
     */
    public static CandidateCatalogue of(List<String> itemIds, String[] titles, CandidateFeatures features) {
        Objects.requireNonNull(features, "features");
        if (itemIds.size() != titles.length) {
            throw new IllegalArgumentException("catalogue: " + itemIds.size() + " item ids and " + titles.length
                    + " titles; expected one title per item");
        }
        if (titles.length == 0) {
            throw new IllegalArgumentException("catalogue: no items");
        }
        return new CandidateCatalogue(List.copyOf(itemIds), titles.clone(), features.encode(titles));
    }

    /** Every item of {@code data}, encoded by {@code features}. */
    public static CandidateCatalogue of(RatingsData data, CandidateFeatures features) {
        return of(data.interactions().items().rawIds(), titlesOf(data), features);
    }

    /** Number of items. */
    public int size() {
        return titles.length;
    }

    /** The raw id of item {@code row}. */
    public String itemId(int row) {
        return itemIds.get(row);
    }

    /** The raw item ids, in row order. */
    public List<String> itemIds() {
        return itemIds;
    }

    public String title(int row) {
        return titles[row];
    }

    /** A copy of the titles, in row order. */
    public String[] titles() {
        return titles.clone();
    }

    /** The encoded inputs of every item, row-aligned; shared, never to be written. */
    public CandidateInputs inputs() {
        return inputs;
    }

    @Override
    public String toString() {
        return "CandidateCatalogue[size=" + size() + "]";
    }
}
