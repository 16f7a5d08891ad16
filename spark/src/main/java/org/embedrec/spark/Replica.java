package org.embedrec.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureExamples;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Optimizer;

/**
 * An executor's copy of the model being trained, built from a {@link ReplicaRecipe}: the
 * spec's model over the same preprocessing, the catalogue encoded once, and the id counts of the
 * frequency-weighted L2 (so its loss on a batch is the driver's). Each step it takes the
 * broadcast weights and returns the gradients of its partition's share of the batch.
 *
 * <p>A replica computes for one task at a time; an executor keeps a pool of them per fit
 * ({@link #borrow}, {@link #release}), so concurrent tasks (local[2], or several cores per
 * executor) each have their own and no task builds one twice.
 */
final class Replica {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ConcurrentLinkedQueue<Replica>> POOLS = new ConcurrentHashMap<>();

    final ReplicaRecipe recipe;
    final FeatureEncoder encoder;
    final FeatureModel model;
    private final List<Parameter> params;
    private final IdMapping users;
    private final IdMapping items;
    private final EncodedFeatures catalogue;

    Replica(ReplicaRecipe recipe) {
        this.recipe = recipe;
        try {
            FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(recipe.specJson()), "the fitted spec");
            this.encoder = FeatureEncoder.fromJson(spec, JSON.readTree(recipe.encoderJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("replica: the recipe's JSON is unreadable", e);
        }
        this.users = IdMapping.of(recipe.userIds());
        this.items = IdMapping.of(recipe.itemIds());
        this.model = FeatureModels.build(encoder, recipe.meanLabel(), recipe.minLabel(), recipe.maxLabel(),
                new Rng(recipe.seed()));
        this.params = model.parameters();
        // One row per user and per item, counted as often as it occurs in training: the towers'
        // counts are then those the driver's data would give (the rating presets' query features
        // are the user's alone, their candidate features the item's).
        Interactions.Builder perUser = Interactions.builder().hasTimestamps(false);
        for (int u = 0; u < users.size(); u++) {
            perUser.add(u, 0, 0f, 0L);
        }
        Interactions userRows = perUser.build(users, items);
        FeatureSource source = FeatureSource.of(spec(), userRows, null, null);
        this.catalogue = encoder.encodeCandidates(source);
        model.queryTower().countIds(encoder.encodeQueries(source, userRows), recipe.userCounts());
        model.candidateTower().countIds(catalogue, recipe.itemCounts());
        model.setTraining(true);
    }

    FeatureSpec spec() {
        return encoder.spec();
    }

    /** A replica of {@code recipe}'s model for this task's use alone; give it back with {@link #release}. */
    static Replica borrow(ReplicaRecipe recipe) {
        Replica r = POOLS.computeIfAbsent(recipe.id(), id -> new ConcurrentLinkedQueue<>()).poll();
        return r != null ? r : new Replica(recipe);
    }

    static void release(Replica replica) {
        POOLS.computeIfAbsent(replica.recipe.id(), id -> new ConcurrentLinkedQueue<>()).add(replica);
    }

    /** Drops this JVM's replicas of fit {@code id} (called by the driver when the fit ends; executors keep theirs until then). */
    static void forget(String id) {
        POOLS.remove(id);
    }

    /** A partition's rows as the model's inputs, catalogue rows by the recipe's item order. */
    FeatureExamples encode(PartitionRows rows) {
        Map<String, Integer> userIndex = index(recipe.userIds());
        Map<String, Integer> itemIndex = index(recipe.itemIds());
        Interactions.Builder b = Interactions.builder().hasTimestamps(false);
        for (int r = 0; r < rows.size(); r++) {
            b.add(userIndex.get(rows.users[r]), itemIndex.get(rows.items[r]), rows.ratings[r], 0L);
        }
        Interactions part = b.build(users, items);
        return FeatureExamples.of(encoder, FeatureSource.of(spec(), part, null, null), part, catalogue);
    }

    private static Map<String, Integer> index(List<String> ids) {
        Map<String, Integer> m = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            m.put(ids.get(i), i);
        }
        return m;
    }

    /**
     * The summed gradients of {@code batch}'s rows of {@code examples} at {@code weights}. The
     * model's random streams (dropout) restart from {@code streamSeed}, so a partition's masks in a
     * step do not depend on which pooled replica computed it.
     */
    Gradients gradients(float[][] weights, FeatureExamples examples, int[] batch, long streamSeed) {
        if (batch.length == 0) {
            return Gradients.empty(params.size());
        }
        setWeights(weights);
        float loss = backward(examples, batch, streamSeed);
        return Gradients.of(params, batch.length, loss);
    }

    /** Takes the driver's weights. */
    void setWeights(float[][] weights) {
        for (int p = 0; p < params.size(); p++) {
            float[] dst = params.get(p).value().data();
            System.arraycopy(weights[p], 0, dst, 0, dst.length);
        }
    }

    /** A copy of every weight, in parameter order. */
    float[][] weights() {
        float[][] out = new float[params.size()][];
        for (int p = 0; p < out.length; p++) {
            out[p] = params.get(p).value().data().clone();
        }
        return out;
    }

    /** One step of {@code optimizer} on this replica's own weights, from the mean loss of {@code batch}. */
    float localStep(Optimizer optimizer, FeatureExamples examples, int[] batch, long streamSeed) {
        float loss = backward(examples, batch, streamSeed);
        optimizer.step(params);
        return loss;
    }

    /** The mean loss of {@code batch}, its gradients left on the parameters (zeroed first). */
    private float backward(FeatureExamples examples, int[] batch, long streamSeed) {
        long k = 0;
        for (Rng stream : model.namedRandomStreams().values()) {
            stream.restoreState(new Rng(streamSeed + 0x9E3779B97F4A7C15L * ++k).saveState());
        }
        for (Parameter p : params) {
            p.zeroGrad();
        }
        try (GradientTape tape = GradientTape.open()) {
            Tensor l = model.computeLoss(examples.batch(batch, 0, batch.length), catalogue, null);
            tape.backward(l);
            return l.item();
        }
    }
}
