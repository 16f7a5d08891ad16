package org.embedrec.models;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSpec;
import org.embedrec.features.TowerInput;
import org.embedrec.nn.losses.Reduction;
import org.embedrec.tasks.Ranking;
import org.embedrec.tasks.Retrieval;

/**
 * The model a spec describes: its towers over the encoder's inputs, and a
 * {@link RetrievalModel}, a {@link RankingModel} or, with both tasks, a {@link MultiTaskModel};
 * a rating model's head and wide part as the spec's {@code tasks.rating} says.
 */
public final class FeatureModels {
    private FeatureModels() {
    }

    /**
     * A new model for {@code encoder}'s spec, weights from {@code rng}; the rating head's output
     * starts at {@code meanLabel} (the mean training label; 0 for a binary label's logit) and its
     * metrics score predictions as they are.
     */
    public static FeatureModel build(FeatureEncoder encoder, float meanLabel, Rng rng) {
        return build(encoder, meanLabel, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, rng);
    }

    /**
     * As the other {@code build}; a squared-error rating task's metrics score predictions clipped
     * to {@code [minLabel, maxLabel]}, the training labels' range (a rating of 5.3 on a 1..5 scale
     * is scored as 5, the usual MovieLens practice), when {@code minLabel < maxLabel}.
     */
    public static FeatureModel build(FeatureEncoder encoder, float meanLabel, float minLabel, float maxLabel,
                                     Rng rng) {
        FeatureSpec spec = encoder.spec();
        float l2 = (float) spec.training().l2();
        boolean frequencyWeighted = spec.training().l2Weighting().equals(FeatureSpec.Training.SQRT_FREQUENCY);
        FeatureTower query = new FeatureTower("query_tower", encoder.towerInputs(FeatureDefinition.QUERY),
                spec.queryTower().layers(), l2, frequencyWeighted, rng);
        FeatureTower candidate = new FeatureTower("candidate_tower", encoder.towerInputs(FeatureDefinition.CANDIDATE),
                spec.candidateTower().layers(), l2, frequencyWeighted, rng);
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
        Ranking ranking = binary ? Ranking.binary()
                : minLabel < maxLabel && Float.isFinite(minLabel) && Float.isFinite(maxLabel)
                ? Ranking.regression(minLabel, maxLabel) : Ranking.regression();
        FeatureSpec.RatingHead h = spec.ratingHead();
        float initialBias = binary ? 0f : meanLabel;
        RatingHead head = h.dot()
                ? RatingHead.dot(query.outputDim(), h.layers(), h.inputDropout(), initialBias, rng)
                : RatingHead.concat(query.outputDim(), candidate.outputDim(), h.crossLayers(), h.projectionDim(),
                        h.layers(), h.inputDropout(), h.dropout(), initialBias, rng);
        SparseLinear wide = spec.wide() == null ? null : new SparseLinear(wideTerms(encoder), rng);
        if (retrieval == null) {
            return new RankingModel(query, candidate, head, ranking, wide);
        }
        return new MultiTaskModel(query, candidate, retrieval, spec.retrieval().weight(), head, ranking,
                spec.rating().weight(), wide);
    }

    /** The terms of the spec's wide part: each wide feature's ids, then each cross's hashed pairs. */
    public static List<SparseLinear.Term> wideTerms(FeatureEncoder encoder) {
        FeatureSpec spec = encoder.spec();
        List<SparseLinear.Term> terms = new ArrayList<>();
        for (String name : spec.wide().features()) {
            SparseLinear.Source source = source(encoder, name);
            terms.add(new SparseLinear.Term(name, source, null, inputOf(encoder, source).vocabularySize()));
        }
        for (FeatureSpec.WideCross c : spec.wide().crosses()) {
            terms.add(new SparseLinear.Term(c.name(), source(encoder, c.features().get(0)),
                    source(encoder, c.features().get(1)), c.buckets() + 1));
        }
        return terms;
    }

    /** Where feature {@code name}'s ids are among its tower's inputs (a number's are its buckets). */
    private static SparseLinear.Source source(FeatureEncoder encoder, String name) {
        FeatureDefinition f = encoder.spec().feature(name);
        String input = f.kind().numeric() ? name + "_bucket" : name;
        List<TowerInput> inputs = encoder.towerInputs(f.tower());
        for (int k = 0; k < inputs.size(); k++) {
            if (inputs.get(k).name().equals(input)) {
                return new SparseLinear.Source(f.tower().equals(FeatureDefinition.QUERY), input, k);
            }
        }
        throw new IllegalArgumentException("tasks.rating.wide: feature '" + name + "' reaches its tower as no ids");
    }

    private static TowerInput inputOf(FeatureEncoder encoder, SparseLinear.Source source) {
        String tower = source.query() ? FeatureDefinition.QUERY : FeatureDefinition.CANDIDATE;
        return encoder.towerInputs(tower).get(source.position());
    }
}
