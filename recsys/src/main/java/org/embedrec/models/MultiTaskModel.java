package org.embedrec.models;

import java.util.Objects;
import org.embedrec.tasks.Ranking;
import org.embedrec.tasks.Retrieval;

/**
 * The multitask model of the TensorFlow Recommenders multitask tutorial: one pair of towers
 * shared by a retrieval task and a rating head, the loss
 * {@code retrievalWeight * retrieval + ratingWeight * rating}. Weighting one task to zero
 * trains the other alone while still reporting both.
 */
public final class MultiTaskModel extends FeatureModel {

    public MultiTaskModel(FeatureTower queryTower, FeatureTower candidateTower, Retrieval retrieval,
                          double retrievalWeight, RatingHead head, Ranking ranking, double ratingWeight) {
        this(queryTower, candidateTower, retrieval, retrievalWeight, head, ranking, ratingWeight, null);
    }

    /** As the other constructor, with a wide part added to the head's prediction (null for none). */
    public MultiTaskModel(FeatureTower queryTower, FeatureTower candidateTower, Retrieval retrieval,
                          double retrievalWeight, RatingHead head, Ranking ranking, double ratingWeight,
                          SparseLinear wide) {
        super("multitask_model", queryTower, candidateTower, Objects.requireNonNull(retrieval, "retrieval"),
                false, retrievalWeight, Objects.requireNonNull(head, "head"), Objects.requireNonNull(ranking, "ranking"),
                ratingWeight, wide);
        if (retrievalWeight == 0 && ratingWeight == 0) {
            throw new IllegalArgumentException("both loss weights are 0; give at least one task a positive weight");
        }
    }
}
