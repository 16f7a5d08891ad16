package org.embedrec.recommend;

import org.embedrec.models.rating.RatingExamples;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.tasks.LabelRange;

/**
 * A rating preset ({@code mf}, {@code dot-mlp}, {@code ncf-mlp}, saved by {@code train --model
 * NAME --save}) answering {@link Recommender#score}: the predicted rating of a known user for
 * each item. It has no query tower to search a catalogue with and its directory holds no
 * training history, so it neither recommends nor answers users it was not trained on.
 * ({@code wide-deep} also reads item side features its directory does not hold.)
 */
final class RatingQueryModel implements NoFeatureQueryModel {
    private final String name;
    private final RatingModel model;
    private final LabelRange range;

    /** {@code range}: the training ratings' range predictions are given out in, or null to give them unclipped. */
    RatingQueryModel(String name, RatingModel model, LabelRange range) {
        if (!model.spec().categorical().isEmpty() || !model.spec().multiValued().isEmpty()) {
            throw new IllegalArgumentException("the rating model '" + name + "' reads side features (genres, "
                    + "occupation, ...) that its saved directory does not hold; a recommender can serve mf, dot-mlp "
                    + "and ncf-mlp, or a model trained from a spec (train --spec)");
        }
        this.name = name;
        this.model = model;
        this.range = range;
    }

    @Override
    public LabelRange scoreRange() {
        return range;
    }

    @Override
    public String kind() {
        return "rating";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean retrieves() {
        return false;
    }

    @Override
    public Scores.Kind scoreKind() {
        return Scores.Kind.RATING;
    }

    @Override
    public int width() {
        return 0;
    }

    @Override
    public float[] candidateEmbeddings() {
        return null;
    }

    @Override
    public int candidateWidth() {
        return 0;
    }

    @Override
    public void embed(Asker asker, float[] out) {
        throw new UnsupportedOperationException("the rating model '" + name + "' has no query embedding");
    }

    @Override
    public float[] score(Asker asker, int[] rows) {
        int[] users = new int[rows.length];
        java.util.Arrays.fill(users, asker.userRow());
        return model.predict(RatingExamples.of(model.spec(), users, rows, new float[rows.length]));
    }
}
