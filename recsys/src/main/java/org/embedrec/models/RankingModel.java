package org.embedrec.models;

import java.util.Objects;
import org.embedrec.tasks.Ranking;

/**
 * A ranking model over any features, as in the TensorFlow Recommenders ranking tutorial: the
 * query and candidate towers' outputs go through a {@link RatingHead} to one prediction per
 * (query, item) row, trained on the row's label by a {@link Ranking} task (mean squared error,
 * or binary cross-entropy of the prediction as a logit). With a wide part ({@link SparseLinear}),
 * its output is added to the head's: Wide &amp; Deep, or the biases of matrix factorisation.
 */
public final class RankingModel extends FeatureModel {

    public RankingModel(FeatureTower queryTower, FeatureTower candidateTower, RatingHead head, Ranking task) {
        this(queryTower, candidateTower, head, task, null);
    }

    /** As the other constructor, with a wide part (null for none). */
    public RankingModel(FeatureTower queryTower, FeatureTower candidateTower, RatingHead head, Ranking task,
                        SparseLinear wide) {
        super("ranking_model", queryTower, candidateTower, null, false, 0.0, Objects.requireNonNull(head, "head"),
                Objects.requireNonNull(task, "task"), 1.0, wide);
    }
}
