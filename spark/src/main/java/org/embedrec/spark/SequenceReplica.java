package org.embedrec.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.NextItemQueries;
import org.embedrec.models.sequential.NextItemTask;
import org.embedrec.models.sequential.SequenceBatch;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;
import org.embedrec.nn.Parameter;

/**
 * An executor's copy of the next-item model being trained, built from a {@link SequentialRecipe}.
 * Each step it takes the broadcast weights and returns the summed gradients of its partition's
 * users in the batch ({@link #gradients}).
 *
 * <p>The loss is the single-process one ({@link NextItemTask}): the mean over the batch's real
 * steps. A partition runs its users one at a time, each user's dropout masks and bce negatives
 * drawn from streams seeded by the fit's seed, the epoch and the user alone, so they are the same
 * whichever partition holds the user and whichever users share it. Each user's backward pass
 * gives the gradient of its summed loss (its mean times its steps), a function of the user and
 * the weights alone, and the passes' gradients are added in double ({@link Gradients}): float
 * sums would round differently as the users are grouped differently, and Adam would turn those
 * last bits into visible differences. The driver divides by the batch's steps. The sampled
 * softmax's candidates (the global batch's distinct targets and the step's uniform draws) are
 * chosen by the driver and handed in, so every partition scores the same set.
 *
 * <p>A replica computes for one task at a time; an executor keeps a pool of them per fit.
 */
final class SequenceReplica {
    private static final Map<String, ConcurrentLinkedQueue<SequenceReplica>> POOLS = new ConcurrentHashMap<>();

    final SequentialRecipe recipe;
    private final SequentialConfig config;
    private final SequenceEncoder model;
    private final List<Parameter> params;
    /** Every position in {@link #params}. */
    private final int[] all;
    private final NextItemTask task;
    private final float[] logFrequency;

    SequenceReplica(SequentialRecipe recipe) {
        this.recipe = recipe;
        this.config = recipe.config();
        this.model = SequentialModels.create(config, recipe.numItems(), new Rng(config.seed()));
        this.params = model.parameters();
        this.all = java.util.stream.IntStream.range(0, params.size()).toArray();
        NextItemQueries none = new NextItemQueries(new int[0], new int[0][], new int[0]);
        this.task = new NextItemTask(model, config.loss(), config.sampledNegatives(), recipe.itemCounts(), none,
                config.seed(), config.excludeSeen());
        this.logFrequency = logFrequency(recipe.itemCounts());
        model.setTraining(true);
    }

    /** A replica of {@code recipe}'s model for this task's use alone; give it back with {@link #release}. */
    static SequenceReplica borrow(SequentialRecipe recipe) {
        SequenceReplica r = POOLS.computeIfAbsent(recipe.id(), id -> new ConcurrentLinkedQueue<>()).poll();
        return r != null ? r : new SequenceReplica(recipe);
    }

    static void release(SequenceReplica replica) {
        POOLS.computeIfAbsent(replica.recipe.id(), id -> new ConcurrentLinkedQueue<>()).add(replica);
    }

    /** Drops this JVM's replicas of fit {@code id}. */
    static void forget(String id) {
        POOLS.remove(id);
    }

    /**
     * The summed gradients, over their real steps, of users {@code batch} of {@code rows} at
     * {@code weights} in epoch {@code epoch}; {@code candidates} the sampled softmax's candidate
     * items (ascending targets, then draws), null for the other losses.
     */
    Gradients gradients(float[][] weights, SequenceRows rows, int[] batch, int epoch, int[] candidates) {
        int maxLength = config.maxLength();
        int steps = 0;
        for (int u : batch) {
            steps += rows.input(u, maxLength).length;
        }
        if (steps == 0) {
            return Gradients.empty(params.size());
        }
        for (int p = 0; p < params.size(); p++) {
            float[] dst = params.get(p).value().data();
            System.arraycopy(weights[p], 0, dst, 0, dst.length);
        }
        for (Parameter p : params) {
            p.zeroGrad();
        }
        int[] slot = candidates == null ? null : slots(candidates);
        Gradients sums = Gradients.empty(params.size());
        for (int u : batch) {
            long stream = userStream(config.seed(), epoch, rows.keys[u]);
            restoreStreams(stream);
            SequenceBatch sequence = sequence(rows, u, stream);
            int n = sequence.time();
            try (GradientTape tape = GradientTape.open()) {
                Tensor loss = candidates == null ? task.loss(sequence) : sampledSoftmax(sequence, candidates, slot);
                sums.lossSum += (double) loss.item() * n;
                // The gradient of the user's summed loss, a function of the user and the weights alone.
                tape.backward(Ops.scale(loss, n));
            }
            sums.moveFrom(params, all);
        }
        sums.rows = steps;
        return sums;
    }

    /** User {@code u}'s example as a batch of one (no padding), with its bce negatives when the loss needs them. */
    private SequenceBatch sequence(SequenceRows rows, int u, long stream) {
        int[] input = rows.input(u, config.maxLength());
        int[] targets = rows.targets(u, config.maxLength());
        int n = input.length;
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = input[i] + 1;
        }
        int[] negatives = config.loss() == NextItemLoss.BCE
                ? negatives(rows.histories[u], n, new Rng(stream ^ 0x4E45474154495645L)) : null;
        return new SequenceBatch(tokens, 1, n, SequenceMask.leftPadded(new int[] {n}, n), targets, negatives);
    }

    /** {@code count} items drawn uniformly from those {@code history} does not hold, as NextItemExamples draws them. */
    private int[] negatives(int[] history, int count, Rng rng) {
        int numItems = recipe.numItems();
        boolean[] seen = new boolean[numItems];
        int distinct = 0;
        for (int item : history) {
            distinct += seen[item] ? 0 : 1;
            seen[item] = true;
        }
        if (distinct >= numItems) {
            throw new IllegalStateException("a user has interacted with every item: no bce negative can be drawn");
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int j;
            do {
                j = rng.nextInt(numItems);
            } while (seen[j]);
            out[i] = j;
        }
        return out;
    }

    /**
     * NextItemTask's sampled softmax over a candidate set given from outside: each step's target
     * against {@code candidates}, each logit lowered by the log of its item's training frequency.
     */
    private Tensor sampledSoftmax(SequenceBatch sequence, int[] candidates, int[] slot) {
        int[] targets = sequence.targets();
        int[] labels = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            labels[i] = slot[targets[i]];
        }
        float[] shift = new float[candidates.length];
        for (int k = 0; k < candidates.length; k++) {
            shift[k] = logFrequency[candidates[k]];
        }
        Tensor h = model.encodeReal(sequence);
        Tensor rows = Ops.gatherRows(model.itemEmbeddings(), candidates);
        return Ops.mean(Ops.sampledSoftmaxCrossEntropy(h, rows, 1f, labels, null, shift, false));
    }

    private int[] slots(int[] candidates) {
        int[] slot = new int[recipe.numItems()];
        Arrays.fill(slot, -1);
        for (int k = 0; k < candidates.length; k++) {
            slot[candidates[k]] = k;
        }
        return slot;
    }

    /** As NextItemTask's log-q correction: an item never seen in training counts as seen once. */
    static float[] logFrequency(int[] itemCounts) {
        long total = 0;
        for (int c : itemCounts) {
            total += c;
        }
        float[] out = new float[itemCounts.length];
        for (int i = 0; i < itemCounts.length; i++) {
            out[i] = (float) Math.log(Math.max(itemCounts[i], 1) / (double) Math.max(total, 1));
        }
        return out;
    }

    /** Restarts every dropout stream of the model from {@code stream}, whatever this replica computed before. */
    private void restoreStreams(long stream) {
        long k = 0;
        for (Rng rng : model.namedRandomStreams().values()) {
            rng.restoreState(new Rng(stream + 0x9E3779B97F4A7C15L * ++k).saveState());
        }
    }

    /** The seed of user {@code key}'s random streams in {@code epoch}: a function of the fit's seed, the epoch and the user. */
    static long userStream(long seed, int epoch, long key) {
        return mix(mix(seed ^ 0x5345515545534551L) + epoch * 0x9E3779B97F4A7C15L + key);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
