package org.embedrec.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.models.FeatureTower;
import org.embedrec.nn.Parameter;
import org.embedrec.tasks.DistinctCandidates;

/**
 * An executor's copy of the two-tower model being trained, built from a {@link RetrievalRecipe}:
 * the spec's model over the same preprocessing and the catalogue encoded once. A step uses it
 * twice ({@link InBatchSoftmaxTraining}): {@link #forward} embeds the partition's rows of the
 * batch and their distinct items; {@link #backward} takes the driver's gradients of the loss with
 * respect to those embeddings and pushes them through the towers to the weights.
 *
 * <p>A replica computes for one task at a time; an executor keeps a pool of them per fit.
 */
final class TowerReplica {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ConcurrentLinkedQueue<TowerReplica>> POOLS = new ConcurrentHashMap<>();

    /**
     * What {@link #forward} sends to the driver: a partition's rows of the batch (their keys and
     * items) with their query embeddings, and its distinct items' embeddings.
     */
    record Embeddings(int partition, long[] keys, int[] items, float[] queries, int[] distinctItems,
                      float[] candidates) implements java.io.Serializable {}

    final RetrievalRecipe recipe;
    private final FeatureEncoder encoder;
    private final FeatureModel model;
    private final List<Parameter> params;
    /** Positions in {@link #params} of each tower's own parameters. */
    private final int[] queryParams;
    private final int[] candidateParams;
    private final IdMapping users;
    private final IdMapping items;
    private final AttributeTable catalogueTable;
    private final EncodedFeatures catalogue;

    TowerReplica(RetrievalRecipe recipe) {
        this.recipe = recipe;
        try {
            FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(recipe.specJson()), "the fitted spec");
            this.encoder = FeatureEncoder.fromJson(spec, JSON.readTree(recipe.encoderJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("replica: the recipe's JSON is unreadable", e);
        }
        this.users = IdMapping.of(recipe.userIds());
        this.items = IdMapping.of(recipe.itemIds());
        this.catalogueTable = AttributeTable.of("the catalogue", recipe.catalogueColumns(), recipe.catalogueColumns()
                .get(0), recipe.catalogueRows());
        this.model = FeatureModels.build(encoder, 0f, new Rng(recipe.seed()));
        this.params = model.parameters();
        this.queryParams = positions(params, model.queryTower());
        this.candidateParams = positions(params, model.candidateTower());
        Interactions none = Interactions.builder().hasTimestamps(recipe.hasTimestamps())
                .extraColumns(recipe.queryColumns()).build(users, items);
        this.catalogue = encoder.encodeCandidates(FeatureSource.of(encoder.spec(), none, catalogueTable, null));
        model.setTraining(true);
    }

    /** A replica of {@code recipe}'s model for this task's use alone; give it back with {@link #release}. */
    static TowerReplica borrow(RetrievalRecipe recipe) {
        TowerReplica r = POOLS.computeIfAbsent(recipe.id(), id -> new ConcurrentLinkedQueue<>()).poll();
        return r != null ? r : new TowerReplica(recipe);
    }

    static void release(TowerReplica replica) {
        POOLS.computeIfAbsent(replica.recipe.id(), id -> new ConcurrentLinkedQueue<>()).add(replica);
    }

    /** Drops this JVM's replicas of fit {@code id}. */
    static void forget(String id) {
        POOLS.remove(id);
    }

    /** A partition's rows encoded: their query features, and their items as catalogue rows. */
    record Encoded(EncodedFeatures queries, int[] items) {}

    Encoded encode(RetrievalRows rows) {
        Map<String, Integer> userIndex = index(recipe.userIds());
        Map<String, Integer> itemIndex = index(recipe.itemIds());
        Interactions.Builder b = Interactions.builder().hasTimestamps(rows.timestamps != null)
                .extraColumns(recipe.queryColumns());
        int columns = rows.queryColumns.length;
        for (int r = 0; r < rows.size(); r++) {
            String[] extra = new String[columns];
            for (int c = 0; c < columns; c++) {
                extra[c] = rows.queryColumns[c][r];
            }
            b.add(userIndex.get(rows.users[r]), itemIndex.get(rows.items[r]), 0f,
                    rows.timestamps == null ? 0L : rows.timestamps[r], columns == 0 ? null : extra);
        }
        Interactions part = b.build(users, items);
        EncodedFeatures queries = encoder.encodeQueries(FeatureSource.of(encoder.spec(), part, catalogueTable, null),
                part);
        return new Encoded(queries, part.itemIds());
    }

    private static Map<String, Integer> index(List<String> ids) {
        Map<String, Integer> m = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            m.put(ids.get(i), i);
        }
        return m;
    }

    /**
     * Phase one of a step at {@code weights}: the query embeddings of {@code batch}'s rows (in
     * order; {@code keys} the partition's row keys) and the embeddings of their distinct items
     * (first-occurrence order).
     */
    Embeddings forward(float[][] weights, int partition, long[] keys, Encoded rows, int[] batch) {
        setWeights(weights);
        int[] batchItems = new int[batch.length];
        long[] batchKeys = new long[batch.length];
        for (int k = 0; k < batch.length; k++) {
            batchItems[k] = rows.items()[batch[k]];
            batchKeys[k] = keys[batch[k]];
        }
        if (batch.length == 0) {
            return new Embeddings(partition, batchKeys, batchItems, new float[0], new int[0], new float[0]);
        }
        int[] distinct = DistinctCandidates.of(batchItems, null).ids().clone();
        Tensor q = model.queryTower().embed(rows.queries().rows(batch, 0, batch.length));
        Tensor c = model.candidateTower().embed(catalogue.rows(distinct, 0, distinct.length));
        return new Embeddings(partition, batchKeys, batchItems, q.data().clone(), distinct, c.data().clone());
    }

    /**
     * Phase two: the summed gradients of the weights, given the loss's gradient {@code queryGrad}
     * with respect to {@code batch}'s query embeddings and {@code candidateGrad} with respect to
     * the embeddings of catalogue items {@code owned} (the distinct items this partition answers
     * for). Each row runs through its tower again on its own and back-propagates
     * {@code q . queryGrad} (or {@code c . candidateGrad}), whose gradient with respect to the
     * weights is that row's part of the loss's (the chain rule).
     *
     * <p>One row at a time, not the batch at once: a batched backward sums the rows' parts in float
     * inside its kernels, in an order set by which rows this partition holds, and Adagrad turns
     * those last bits into visible differences between partitionings. A row's part alone depends
     * on the row and the weights only; the parts are summed in double ({@link Gradients}).
     */
    Gradients backward(float[][] weights, Encoded rows, int[] batch, float[] queryGrad, int[] owned,
                       float[] candidateGrad) {
        Gradients sums = Gradients.empty(params.size());
        if (batch.length == 0 && owned.length == 0) {
            return sums;
        }
        setWeights(weights);
        for (Parameter p : params) {
            p.zeroGrad();
        }
        for (int r = 0; r < batch.length; r++) {
            addRowGradient(sums, model.queryTower(), queryParams, rows.queries(), batch[r], queryGrad, r);
        }
        for (int k = 0; k < owned.length; k++) {
            addRowGradient(sums, model.candidateTower(), candidateParams, catalogue, owned[k], candidateGrad, k);
        }
        return sums;
    }

    /**
     * Adds to {@code sums} the gradient of the weights {@code towerParams} (positions in the
     * model's parameters) of {@code tower}'s embedding of {@code features}' row {@code row} dotted
     * with row {@code at} of {@code grad}; leaves the gradients zero.
     */
    private void addRowGradient(Gradients sums, FeatureTower tower, int[] towerParams, EncodedFeatures features,
                                int row, float[] grad, int at) {
        int d = tower.outputDim();
        try (GradientTape tape = GradientTape.open()) {
            Tensor e = tower.embed(features.rows(new int[] {row}, 0, 1));
            tape.backward(Ops.sum(Ops.mul(e, Tensor.wrap(Arrays.copyOfRange(grad, at * d, (at + 1) * d), 1, d))));
        }
        sums.moveFrom(params, towerParams);
    }

    /** The positions in {@code all} of {@code tower}'s parameters. */
    private static int[] positions(List<Parameter> all, FeatureTower tower) {
        List<Parameter> own = tower.parameters();
        int[] out = new int[own.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = -1;
            for (int p = 0; p < all.size(); p++) {
                if (all.get(p) == own.get(k)) {
                    out[k] = p;
                }
            }
            if (out[k] < 0) {
                throw new IllegalStateException("tower parameter " + own.get(k).name() + " is not the model's");
            }
        }
        return out;
    }

    private void setWeights(float[][] weights) {
        for (int p = 0; p < params.size(); p++) {
            float[] dst = params.get(p).value().data();
            System.arraycopy(weights[p], 0, dst, 0, dst.length);
        }
    }
}
