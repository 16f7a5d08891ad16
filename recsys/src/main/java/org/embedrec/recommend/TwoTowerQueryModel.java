package org.embedrec.recommend;

import java.util.List;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.models.retrieval.TwoTowerModel;

/**
 * The TensorFlow Recommenders two-tower preset ({@link TwoTowerModel}, saved by
 * {@code train --model two-tower --save}) answering queries: its query tower reads only the user
 * id and the time, so a user it was not trained on has nothing to be answered from (their id
 * falls on the never-trained out-of-vocabulary row) and gets the popularity fallback. A known
 * user's embedding at their latest training time is computed once; scores are the inner
 * products {@code q . c} the model was trained to rank by.
 */
final class TwoTowerQueryModel implements QueryModel {
    private final TwoTowerModel model;
    private final float[] candidates;
    private final int width;
    private final List<String> userIds;
    private final float[] userEmbeddings;

    /** The preset {@code model} (inference mode), the catalogue's embeddings, the known users and their latest training times. */
    TwoTowerQueryModel(TwoTowerModel model, float[] candidates, List<String> userIds, long[] latestTimes) {
        this.model = model;
        this.candidates = candidates;
        this.width = model.embeddingWidth();
        this.userIds = List.copyOf(userIds);
        this.userEmbeddings = model.embedQueries(model.queryFeatures().encode(userIds.toArray(String[]::new),
                latestTimes));
    }

    @Override
    public String kind() {
        return "two-tower";
    }

    @Override
    public String name() {
        return "two-tower";
    }

    @Override
    public boolean retrieves() {
        return true;
    }

    @Override
    public Scores.Kind scoreKind() {
        return Scores.Kind.INNER_PRODUCT;
    }

    @Override
    public List<String> queryColumns() {
        return List.of();
    }

    @Override
    public String userColumn() {
        return "user_id";
    }

    @Override
    public String timeColumn() {
        return "timestamp";
    }

    @Override
    public String columnOfFeature(String name) {
        return null;
    }

    @Override
    public boolean readsTime() {
        return true;
    }

    @Override
    public boolean hasFeatures(Asker asker) {
        return false;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] candidateEmbeddings() {
        return candidates;
    }

    @Override
    public int candidateWidth() {
        return width;
    }

    @Override
    public void embed(Asker asker, float[] out) {
        if (asker.defaults()) {
            System.arraycopy(userEmbeddings, asker.userRow() * width, out, 0, width);
        } else {
            System.arraycopy(model.queryEmbedding(userIds.get(asker.userRow()), asker.time()), 0, out, 0, width);
        }
    }

    @Override
    public float[] score(Asker asker, int[] rows) {
        float[] q = new float[width];
        embed(asker, q);
        float[] out = new float[rows.length];
        Kernels kernels = Kernels.get();
        for (int i = 0; i < rows.length; i++) {
            out[i] = kernels.dot(q, 0, candidates, rows[i] * width, width);
        }
        return out;
    }
}
