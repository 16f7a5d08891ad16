package org.embedrec.models;

import java.util.Objects;
import org.embedrec.tasks.Ranking;

/**
 * A ranking model over any features, as in the TensorFlow Recommenders ranking tutorial: the
 * query and candidate towers' outputs go through a {@link RatingHead} to one prediction per
 * (query, item) row, trained on the row's label by a {@link Ranking} task (mean squared error,
 * or binary cross-entropy of the prediction as a logit).
 */
public final class RankingModel extends FeatureModel {

    public RankingModel(FeatureTower queryTower, FeatureTower candidateTower, RatingHead head, Ranking task) {
        super("ranking_model", queryTower, candidateTower, null, false, 0.0, Objects.requireNonNull(head, "head"),
                Objects.requireNonNull(task, "task"), 1.0);
    }
}
