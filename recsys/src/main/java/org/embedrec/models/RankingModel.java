package org.embedrec.models;

/**
 * A ranking model over any features, as in the TensorFlow Recommenders ranking tutorial: the
 * query and candidate towers' outputs go through a {@link RatingHead} to one prediction per
 * (query, item) row, trained on the row's label with mean squared error, or with binary
 * cross-entropy of the prediction as a logit when {@code binary}.
 */
public final class RankingModel extends FeatureModel {

    public RankingModel(FeatureTower queryTower, FeatureTower candidateTower, RatingHead head, boolean binary) {
        super("ranking_model", queryTower, candidateTower, null, 0.0, java.util.Objects.requireNonNull(head, "head"),
                binary, 1.0);
    }
}
