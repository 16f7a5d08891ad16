package org.embedrec.recommend;

import java.util.List;
import org.embedrec.tasks.LabelRange;

/**
 * What a {@link Recommender} needs from a kind of trained model, and nothing else: the
 * recommender owns the catalogue, the users' history, the indexes, exclusions and answers; a
 * query model turns an {@link Asker} into a query embedding and scores catalogue rows for it.
 * Implementations are immutable and safe for concurrent use.
 */
interface QueryModel {
    /** A short name of the model's kind for {@link ModelInfo#kind()}: "feature-model", "two-tower", "rating", "next-item". */
    String kind();

    /** The model's own name (its class, or the preset's name). */
    String name();

    /**
     * Whether query embeddings search the candidate embeddings by inner product (a retrieval
     * task); a model that does not retrieve recommends by {@link #score} over the catalogue.
     */
    boolean retrieves();

    /** What {@link #score} returns. */
    Scores.Kind scoreKind();

    /** The columns a query may give features by, besides the user id and the time; in spec order. */
    List<String> queryColumns();

    /** The data column of the user id, or null when the query tower does not read it by column. */
    String userColumn();

    /** The data column of the time, or null when the query tower reads no time column. */
    String timeColumn();

    /** The column a feature named {@code name} reads, or null when no query feature has that name. */
    String columnOfFeature(String name);

    /** Whether the query tower reads the time. */
    boolean readsTime();

    /**
     * Whether {@code asker} can be answered from features: some query feature given or known,
     * other than the user id and the time (an unknown id alone falls on the never-trained
     * out-of-vocabulary row).
     */
    boolean hasFeatures(Asker asker);

    /** The width of query and candidate embeddings, when the model retrieves. */
    int width();

    /** The candidate embeddings, row-major {@code [items, width]}; callers must not modify them. Null when the model has none. */
    float[] candidateEmbeddings();

    /** The candidate embeddings' width, when there are any. */
    int candidateWidth();

    /** Writes the query embedding of {@code asker} into {@code out} (length {@link #width()}). */
    void embed(Asker asker, float[] out);

    /**
     * Scores of catalogue {@code rows} for {@code asker}, as {@link #scoreKind()} says; a rating
     * is the model's raw prediction, which the recommender clips to {@link #scoreRange()}.
     */
    float[] score(Asker asker, int[] rows);

    /**
     * The range {@link Scores.Kind#RATING} scores are given out in (the training labels' range,
     * as the rating metrics clip predictions to it), or null when scores are given as computed:
     * not a rating, or a model saved before the range was kept.
     */
    default LabelRange scoreRange() {
        return null;
    }

    /** Whether the model reads a history of items (the next-item models); the others refuse a query's history. */
    default boolean readsHistory() {
        return false;
    }
}
