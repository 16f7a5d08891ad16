package org.embedrec.models.sequential;

/** Anything that scores the whole catalogue as the next item of a history: the sequential models and {@link PopularityModel}. */
public interface NextItemScorer {

    /** The catalogue's scores after each history (item ids, oldest first): {@code [histories.length][numItems]}. */
    float[][] scores(int[][] histories);

    /** The size of the catalogue scored. */
    int numItems();
}
