package org.embedrec.models;

import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSpec;
import org.embedrec.nn.losses.Reduction;
import org.embedrec.tasks.Ranking;
import org.embedrec.tasks.Retrieval;

/**
 * The model a spec describes: its towers over the encoder's inputs, and a
 * {@link RetrievalModel}, a {@link RankingModel} or, with both tasks, a {@link MultiTaskModel}.
 */
public final class FeatureModels {
    private FeatureModels() {
    }

    /**
     * A new model for {@code encoder}'s spec, weights from {@code rng}; the rating head's output
     * starts at {@code meanLabel} (the mean training label; 0 for a binary label's logit).
     */
    public static FeatureModel build(FeatureEncoder encoder, float meanLabel, Rng rng) {
        FeatureSpec spec = encoder.spec();
        FeatureTower query = new FeatureTower("query_tower", encoder.towerInputs(FeatureDefinition.QUERY),
                spec.queryTower().layers(), (float) spec.training().l2(), rng);
        FeatureTower candidate = new FeatureTower("candidate_tower", encoder.towerInputs(FeatureDefinition.CANDIDATE),
                spec.candidateTower().layers(), (float) spec.training().l2(), rng);
        boolean bpr = spec.retrieval() != null && spec.retrieval().loss().equals(FeatureSpec.RetrievalTask.BPR);
        Retrieval retrieval = spec.retrieval() == null || bpr ? null : Retrieval.builder()
                .temperature((float) spec.retrieval().temperature())
                .logQCorrection(spec.retrieval().logQ())
                .removeAccidentalHits(spec.retrieval().removeAccidentalHits())
                .reduction(Reduction.SUM)
                .build();
        if (spec.rating() == null) {
            return bpr ? RetrievalModel.bpr(query, candidate) : new RetrievalModel(query, candidate, retrieval);
        }
        if (bpr) {
            throw new IllegalArgumentException("tasks.retrieval.loss \"bpr\" is for a retrieval model alone; with a "
                    + "rating task use the softmax");
        }
        boolean binary = spec.rating().loss().equals("binary_crossentropy");
        Ranking ranking = binary ? Ranking.binary() : Ranking.regression();
        FeatureSpec.RatingHead h = spec.ratingHead();
        RatingHead head = new RatingHead(query.outputDim() + candidate.outputDim(), h.crossLayers(), h.projectionDim(),
                h.layers(), h.dropout(), binary ? 0f : meanLabel, rng);
        if (retrieval == null) {
            return new RankingModel(query, candidate, head, ranking);
        }
        return new MultiTaskModel(query, candidate, retrieval, spec.retrieval().weight(), head, ranking,
                spec.rating().weight());
    }
}
