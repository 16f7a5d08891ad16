package org.embedrec.models;

import java.util.Objects;
import org.embedrec.tasks.Retrieval;

/**
 * A retrieval model over any features, as {@code tfrs.Model} in the TensorFlow Recommenders
 * retrieval tutorial: any query tower, any candidate tower of the same output width, and a
 * {@link Retrieval} task on {@code q . c} (or BPR, {@link #bpr}).
 */
public final class RetrievalModel extends FeatureModel {

    private RetrievalModel(FeatureTower queryTower, FeatureTower candidateTower) {
        super("retrieval_model", queryTower, candidateTower, null, true, 1.0, null, null, 0.0, null);
    }

    /**
     * A retrieval model trained by {@link org.embedrec.tasks.Bpr} for implicit feedback: each
     * row's item against one negative item (the row's own, or one drawn uniformly).
     */
    public static RetrievalModel bpr(FeatureTower queryTower, FeatureTower candidateTower) {
        return new RetrievalModel(queryTower, candidateTower);
    }

    public RetrievalModel(FeatureTower queryTower, FeatureTower candidateTower, Retrieval task) {
        super("retrieval_model", queryTower, candidateTower, Objects.requireNonNull(task, "task"), false, 1.0,
                null, null, 0.0, null);
    }
}
