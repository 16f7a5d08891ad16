package org.embedrec.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.embedrec.engine.Rng;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Optimizer;

/**
 * Synchronous data-parallel training of a next-item model, as {@link DataParallelTraining} trains
 * the rating models: each step broadcasts the driver's weights, every partition computes the
 * summed gradient of its users in the global batch ({@link SequenceReplica}, in double),
 * {@code treeAggregate} brings the shares to the driver, which adds them in partition order and
 * divides by the batch's real steps ({@link PartitionGradients}) and applies Adam to its model.
 *
 * <p>Batches are cut as single-process training cuts them, {@code batchSize} users each: the
 * driver collects every user's key once (8 bytes a user) and broadcasts them; each epoch orders
 * the users by a hash of the seed, the epoch and the key ({@link SequenceRows#batch}). Dropout
 * masks and bce negatives are seeded per user and epoch, and the sampled softmax's candidates are
 * chosen on the driver, so a step does not depend on the partitioning, and each user's gradient
 * is summed in double, so neither do its weights, but for a rare last bit. The sampled softmax
 * costs a second, small job per step: each partition sends the distinct targets of its users, and
 * the driver adds {@code sampledNegatives} uniform draws seeded by the step (an item drawn twice
 * or already a target counts once, as single-process training counts it).
 */
final class SequentialTraining {
    private SequentialTraining() {}

    /**
     * Trains {@code model} (the driver's copy) for {@code config}'s epochs over {@code rows}, cached
     * by the caller, {@code trainUsers} users in all, {@code config.batchSize()} per step (the last step: the rest).
     */
    static DataParallelTraining.Result fit(JavaSparkContext sc, JavaRDD<SequenceRows> rows, long trainUsers,
                                           SequentialRecipe recipe, SequenceEncoder model, Optimizer optimizer) {
        SequentialConfig config = recipe.config();
        int epochs = config.epochs();
        // Every user's key, 8 bytes a user, so that each partition can place its users in the
        // epoch's order and cut batches of exactly batchSize, as single-process training does.
        long[] everyone = rows.map(part -> part.keys).collect().stream().flatMapToLong(java.util.Arrays::stream)
                .toArray();
        if (everyone.length != trainUsers) {
            throw new IllegalStateException(everyone.length + " user keys collected for " + trainUsers + " users");
        }
        int numBatches = SequenceRows.numBatches(trainUsers, config.batchSize());
        Broadcast<SequentialRecipe> recipeCast = sc.broadcast(recipe);
        Broadcast<long[]> everyoneCast = sc.broadcast(everyone);
        List<Parameter> params = model.parameters();
        List<Double> losses = new ArrayList<>();
        double[] stepSeconds = new double[epochs * numBatches];
        int steps = 0;
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                double lossSum = 0;
                long lossSteps = 0;
                for (int b = 0; b < numBatches; b++) {
                    long start = System.nanoTime();
                    int[] candidates = config.loss() == NextItemLoss.SAMPLED_SOFTMAX
                            ? candidates(rows, everyoneCast, recipe, config, epoch, b) : null;
                    PartitionGradients g = step(sc, rows, recipeCast, everyoneCast, params, config, epoch, b,
                            candidates);
                    if (DataParallelTraining.applyStep(g, params, optimizer, epoch, b, numBatches)) {
                        lossSum += g.meanLoss() * g.rows();
                        lossSteps += g.rows();
                    }
                    stepSeconds[steps++] = (System.nanoTime() - start) / 1e9;
                }
                losses.add(lossSum / lossSteps);
            }
        } finally {
            recipeCast.destroy();
            everyoneCast.destroy();
            SequenceReplica.forget(recipe.id());
        }
        return new DataParallelTraining.Result(losses, stepSeconds, steps);
    }

    /** One step's gradients, every partition's under its index. */
    private static PartitionGradients step(JavaSparkContext sc, JavaRDD<SequenceRows> rows,
                                           Broadcast<SequentialRecipe> recipe, Broadcast<long[]> everyone,
                                           List<Parameter> params, SequentialConfig config, int epoch, int batch,
                                           int[] candidates) {
        long seed = config.seed();
        int batchSize = config.batchSize();
        float[][] weights = new float[params.size()][];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = params.get(p).value().data();
        }
        Broadcast<float[][]> weightsCast = sc.broadcast(weights);
        Broadcast<int[]> candidatesCast = candidates == null ? null : sc.broadcast(candidates);
        try {
            return rows.treeAggregate(new PartitionGradients(), (acc, part) -> {
                int[] mine = part.batch(everyone.value(), seed, epoch, batch, batchSize);
                SequenceReplica replica = SequenceReplica.borrow(recipe.value());
                try {
                    return acc.add(part.index, replica.gradients(weightsCast.value(), part, mine, epoch,
                            candidatesCast == null ? null : candidatesCast.value()));
                } finally {
                    SequenceReplica.release(replica);
                }
            }, PartitionGradients::merge, 2);
        } finally {
            weightsCast.destroy();
            if (candidatesCast != null) {
                candidatesCast.destroy();
            }
        }
    }

    /**
     * The sampled softmax's candidates for batch {@code batch} of {@code epoch}: the batch's distinct
     * targets ascending, then the items of {@code sampledNegatives} uniform draws (from a stream of
     * the seed, epoch and batch) that are not there yet, in the order drawn.
     */
    static int[] candidates(JavaRDD<SequenceRows> rows, Broadcast<long[]> everyone, SequentialRecipe recipe,
                            SequentialConfig config, int epoch, int batch) {
        long seed = config.seed();
        int batchSize = config.batchSize();
        int maxLength = config.maxLength();
        int numItems = recipe.numItems();
        List<int[]> targets = rows.map(part -> part.distinctTargets(
                part.batch(everyone.value(), seed, epoch, batch, batchSize), maxLength, numItems)).collect();
        boolean[] in = new boolean[numItems];
        int m = 0;
        for (int[] t : targets) {
            for (int item : t) {
                m += in[item] ? 0 : 1;
                in[item] = true;
            }
        }
        int[] out = new int[Math.min(numItems, m + config.sampledNegatives())];
        int k = 0;
        for (int i = 0; i < numItems; i++) {
            if (in[i]) {
                out[k++] = i;
            }
        }
        Rng draws = new Rng(SequenceReplica.mix(SequenceReplica.userStream(seed, epoch, 0x5A4D504C4544L) + batch));
        int extra = Math.min(config.sampledNegatives(), numItems - m);
        for (int d = 0; d < extra; d++) {
            int j = draws.nextInt(numItems);
            if (!in[j]) {
                in[j] = true;
                out[k++] = j;
            }
        }
        return Arrays.copyOf(out, k);
    }
}
