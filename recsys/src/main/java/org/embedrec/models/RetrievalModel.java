package org.embedrec.models;

import org.embedrec.tasks.Retrieval;

/**
 * A retrieval model over any features, as {@code tfrs.Model} in the TensorFlow Recommenders
 * retrieval tutorial: any query tower, any candidate tower of the same output width, and a
 * {@link Retrieval} task on {@code q . c}.
 */
public final class RetrievalModel extends FeatureModel {

    public RetrievalModel(FeatureTower queryTower, FeatureTower candidateTower, Retrieval task) {
        super("retrieval_model", queryTower, candidateTower, java.util.Objects.requireNonNull(task, "task"), 1.0,
                null, null, 0.0);
    }
}
