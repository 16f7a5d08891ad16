package org.embedrec.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /** What {@link #forward} sends to the driver: a partition's query embeddings and its distinct items' embeddings. */
    record Embeddings(int partition, int[] items, float[] queries, int[] distinctItems, float[] candidates)
            implements java.io.Serializable {}

    final RetrievalRecipe recipe;
    private final FeatureEncoder encoder;
    private final FeatureModel model;
    private final List<Parameter> params;
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
     * order) and the embeddings of their distinct items (first-occurrence order).
     */
    Embeddings forward(float[][] weights, int partition, Encoded rows, int[] batch) {
        setWeights(weights);
        int[] batchItems = new int[batch.length];
        for (int k = 0; k < batch.length; k++) {
            batchItems[k] = rows.items()[batch[k]];
        }
        if (batch.length == 0) {
            return new Embeddings(partition, batchItems, new float[0], new int[0], new float[0]);
        }
        int[] distinct = DistinctCandidates.of(batchItems, null).ids().clone();
        Tensor q = model.queryTower().embed(rows.queries().rows(batch, 0, batch.length));
        Tensor c = model.candidateTower().embed(catalogue.rows(distinct, 0, distinct.length));
        return new Embeddings(partition, batchItems, q.data().clone(), distinct, c.data().clone());
    }

    /**
     * Phase two: the gradients of the weights, given the loss's gradient {@code queryGrad} with
     * respect to {@code batch}'s query embeddings and {@code candidateGrad} with respect to the
     * embeddings of catalogue items {@code owned} (the distinct items this partition answers for).
     * The towers run forward again and back-propagate {@code sum(q * queryGrad) + sum(c *
     * candidateGrad)}, whose gradient with respect to the weights is the loss's (the chain rule).
     */
    Gradients backward(float[][] weights, Encoded rows, int[] batch, float[] queryGrad, int[] owned,
                       float[] candidateGrad) {
        if (batch.length == 0 && owned.length == 0) {
            return Gradients.empty(params.size());
        }
        setWeights(weights);
        for (Parameter p : params) {
            p.zeroGrad();
        }
        int d = model.queryTower().outputDim();
        try (GradientTape tape = GradientTape.open()) {
            Tensor surrogate = null;
            if (batch.length > 0) {
                Tensor q = model.queryTower().embed(rows.queries().rows(batch, 0, batch.length));
                surrogate = Ops.sum(Ops.mul(q, Tensor.wrap(queryGrad, batch.length, d)));
            }
            if (owned.length > 0) {
                Tensor c = model.candidateTower().embed(catalogue.rows(owned, 0, owned.length));
                Tensor s = Ops.sum(Ops.mul(c, Tensor.wrap(candidateGrad, owned.length, d)));
                surrogate = surrogate == null ? s : Ops.add(surrogate, s);
            }
            tape.backward(surrogate);
        }
        return Gradients.of(params, 1, 0f);
    }

    private void setWeights(float[][] weights) {
        for (int p = 0; p < params.size(); p++) {
            float[] dst = params.get(p).value().data();
            System.arraycopy(weights[p], 0, dst, 0, dst.length);
        }
    }
}
