package org.embedrec.models;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.tasks.Ranking;

/**
 * The rating loss of a ranking model that is biased matrix factorisation and nothing more, the
 * {@code mf} preset's shape: each tower one id looked up, a dot head without layers or dropout,
 * a wide part of exactly the user's and the item's id (their biases), squared error, and L2 on
 * the looked-up rows frequency-weighted or absent. For such a model {@link FeatureModel} computes
 * the training loss with the engine's fused op ({@link Ops#matrixFactorizationLoss}) instead of
 * the op graph it builds for any model: the same loss and gradient bits (held to the graph by
 * {@code FactorizationLossTest}), without the dozen {@code batch x dim} tensors the graph makes
 * and walks per batch.
 */
final class FactorizationLoss {
    private final FeatureTower query;
    private final FeatureTower candidate;
    private final RatingHead head;
    private final Embedding userFactors;
    private final Embedding itemFactors;
    private final Embedding userBias;
    private final Embedding itemBias;

    private FactorizationLoss(FeatureTower query, FeatureTower candidate, RatingHead head, Embedding userBias,
                              Embedding itemBias) {
        this.query = query;
        this.candidate = candidate;
        this.head = head;
        this.userFactors = query.plainLookupTable();
        this.itemFactors = candidate.plainLookupTable();
        this.userBias = userBias;
        this.itemBias = itemBias;
    }

    /** The fused loss of a rating-only model of this shape, or null when the model is any other. */
    static FactorizationLoss of(FeatureTower query, FeatureTower candidate, RatingHead head, Ranking ranking,
                                double ratingWeight, SparseLinear wide) {
        if (head == null || !head.isPlainDot() || ranking.objective() != Ranking.Objective.SQUARED_ERROR
                || ratingWeight != 1.0 || query.plainLookupTable() == null || candidate.plainLookupTable() == null
                || wide == null || wide.terms().size() != 2) {
            return null;
        }
        Embedding userBias = null;
        Embedding itemBias = null;
        for (int t = 0; t < 2; t++) {
            SparseLinear.Term term = wide.terms().get(t);
            FeatureTower side = term.first().query() ? query : candidate;
            if (term.isCross() || term.first().position() != 0
                    || !term.first().input().equals(side.inputs().get(0).name())) {
                return null;
            }
            if (term.first().query()) {
                userBias = wide.weights(t);
            } else {
                itemBias = wide.weights(t);
            }
        }
        return userBias == null || itemBias == null ? null
                : new FactorizationLoss(query, candidate, head, userBias, itemBias);
    }

    /**
     * The loss of {@code batch} (labelled, unweighted), its candidates rows of {@code catalogue},
     * as the joint phase computes it; null when the batch's ids are not one per row, which the
     * op graph then handles.
     */
    Tensor loss(FeatureBatch batch, EncodedFeatures catalogue) {
        if (!(batch.queries().inputs().get(0) instanceof EncodedFeatures.Ids userIds) || userIds.bag()
                || userIds.width() != 1
                || !(catalogue.inputs().get(0) instanceof EncodedFeatures.Ids itemIds) || itemIds.bag()
                || itemIds.width() != 1) {
            return null;
        }
        int n = batch.size();
        int[] users = userIds.ids();
        int[] rows = batch.items();
        int[] items = new int[n];
        for (int r = 0; r < n; r++) {
            items[r] = itemIds.ids()[rows[r]];
        }
        // Lazy L2 averaged over the batch, as FeatureModel.computeLoss scales it.
        float perRow = 1f / n;
        return Ops.matrixFactorizationLoss(userFactors.embeddings().value(), itemFactors.embeddings().value(),
                userBias.embeddings().value(), itemBias.embeddings().value(), head.outputBias().data()[0], users,
                items, batch.labels(), query.l2Weights(users, n, perRow), candidate.l2Weights(items, n, perRow));
    }
}
