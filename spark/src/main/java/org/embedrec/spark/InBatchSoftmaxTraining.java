package org.embedrec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Tensor;
import org.embedrec.models.FeatureModel;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.train.TrainingDivergedException;
import org.embedrec.tasks.DistinctCandidates;
import org.embedrec.tasks.Retrieval;

/**
 * Synchronous data-parallel training of a two-tower model with the in-batch softmax, equal to the
 * single-process step. The softmax couples every query of the global batch with every
 * candidate, and the batch spans partitions, so a step has two phases:
 * <ol>
 *   <li>each partition runs its share of the batch through the query and candidate towers and
 *       sends the embeddings (its rows' queries, its distinct items' candidates: B x d in all)
 *       to the driver, which computes the loss over the whole batch
 *       ({@link Retrieval#loss(Tensor, DistinctCandidates, Tensor, float[])}, the single-process
 *       loss) and its gradients with respect to those embeddings, and broadcasts them;</li>
 *   <li>each partition back-propagates its rows' and its items' embedding gradients through its
 *       towers ({@link TowerReplica#backward}); {@code treeAggregate} brings the weights' gradients
 *       (sparse rows for the embedding tables) to the driver, which adds them in partition order
 *       and applies the optimizer.</li>
 * </ol>
 * An item in the batch of several partitions is answered for by the first of them: its
 * embedding is that partition's and its gradient goes back through that partition's tower.
 *
 * <p>A step is therefore two Spark jobs and two broadcasts (the weights, then the embedding
 * gradients). Batches are chosen by hashing each row ({@link PartitionRows#batchOf}), so they do
 * not depend on the partitioning, and neither do the weights, but for a rare last bit: the driver
 * puts the batch's rows in an order of their own (by key) before the loss, and each partition
 * takes every row's gradient on its own and adds them in double ({@link TowerReplica#backward}).
 * Adagrad at the presets' 0.1 turned the float sums' regrouping into differences of 2e-5 after
 * 20 steps; now 1 and 2 partitions give the same weights bit for bit after 50 (tested).
 */
final class InBatchSoftmaxTraining {
    private InBatchSoftmaxTraining() {}

    /** A partition's share of phase two: its rows' query gradients and its items' candidate gradients. */
    private record Share(float[] queryGrad, int[] owned, float[] candidateGrad) implements Serializable {}

    /**
     * Trains {@code model} (the driver's copy) for {@code epochs} epochs of about {@code batchSize}
     * rows per step over {@code rows}, cached by the caller, with {@code retrieval}'s loss;
     * {@code itemFrequency} gives each catalogue item's sampling probability for log-q correction.
     */
    static DataParallelTraining.Result fit(JavaSparkContext sc, JavaRDD<RetrievalRows> rows, long totalRows,
                                           RetrievalRecipe recipe, FeatureModel model, Optimizer optimizer,
                                           double[] itemFrequency, int epochs, int batchSize, long seed) {
        int numBatches = (int) Math.max(1, (totalRows + batchSize - 1) / batchSize);
        Broadcast<RetrievalRecipe> recipeCast = sc.broadcast(recipe);
        List<Parameter> params = model.parameters();
        List<Double> losses = new ArrayList<>();
        double[] stepSeconds = new double[epochs * numBatches];
        int steps = 0;
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                double lossSum = 0;
                long lossRows = 0;
                for (int b = 0; b < numBatches; b++) {
                    long start = System.nanoTime();
                    double[] loss = new double[2];
                    if (step(sc, rows, recipeCast, model, params, itemFrequency, seed, epoch, b, numBatches, loss)) {
                        if (!Double.isFinite(loss[0])) {
                            throw new TrainingDivergedException(epoch + 1, b + 1, numBatches, loss[0]);
                        }
                        optimizer.step(params);
                        lossSum += loss[0];
                        lossRows += (long) loss[1];
                    }
                    stepSeconds[steps++] = (System.nanoTime() - start) / 1e9;
                }
                losses.add(lossSum / lossRows);
            }
        } finally {
            recipeCast.destroy();
            TowerReplica.forget(recipe.id());
        }
        return new DataParallelTraining.Result(losses, stepSeconds, steps);
    }

    /**
     * One step's gradients left on {@code params}; {@code loss} receives the batch's summed loss
     * and its rows. False when the batch has no rows.
     */
    private static boolean step(JavaSparkContext sc, JavaRDD<RetrievalRows> rows,
                                Broadcast<RetrievalRecipe> recipe, FeatureModel model, List<Parameter> params,
                                double[] itemFrequency, long seed, int epoch, int batch, int numBatches,
                                double[] loss) {
        float[][] weights = new float[params.size()][];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = params.get(p).value().data();
        }
        Broadcast<float[][]> weightsCast = sc.broadcast(weights);
        Broadcast<Map<Integer, Share>> sharesCast = null;
        try {
            List<TowerReplica.Embeddings> embedded = rows.map(part -> {
                int[] mine = part.batch(seed, epoch, batch, numBatches);
                TowerReplica replica = TowerReplica.borrow(recipe.value());
                try {
                    return replica.forward(weightsCast.value(), part.index, part.keys, part.encoded(replica::encode), mine);
                } finally {
                    TowerReplica.release(replica);
                }
            }).collect();
            Map<Integer, Share> shares = new HashMap<>();
            if (!driverLoss(model, embedded, itemFrequency, shares, loss)) {
                return false;
            }
            sharesCast = sc.broadcast(shares);
            Broadcast<Map<Integer, Share>> toPartitions = sharesCast;
            int paramCount = params.size();
            PartitionGradients g = rows.treeAggregate(new PartitionGradients(), (acc, part) -> {
                Share share = toPartitions.value().get(part.index);
                int[] mine = part.batch(seed, epoch, batch, numBatches);
                TowerReplica replica = TowerReplica.borrow(recipe.value());
                try {
                    return acc.add(part.index, share == null ? Gradients.empty(paramCount)
                            : replica.backward(weightsCast.value(), part.encoded(replica::encode), mine,
                                    share.queryGrad(), share.owned(), share.candidateGrad()));
                } finally {
                    TowerReplica.release(replica);
                }
            }, PartitionGradients::merge, 2);
            g.addInto(params);
            return true;
        } finally {
            weightsCast.destroy();
            if (sharesCast != null) {
                sharesCast.destroy();
            }
        }
    }

    /**
     * The driver's part of a step: the in-batch softmax over the partitions' embeddings
     * (partition order), and each partition's share of its gradients put in {@code shares}.
     */
    private static boolean driverLoss(FeatureModel model, List<TowerReplica.Embeddings> embedded,
                                      double[] itemFrequency, Map<Integer, Share> shares, double[] loss) {
        int d = model.queryTower().outputDim();
        int n = 0;
        for (TowerReplica.Embeddings e : embedded) {
            n += e.items().length;
        }
        if (n == 0) {
            return false;
        }
        // The batch's rows in an order of their own, not of the partitions': float sums over rows
        // and columns then run in the same order however the rows were split.
        Integer[] order = new Integer[n];
        long[] keys = new long[n];
        int[] items = new int[n];
        float[] gathered = new float[n * d];
        int at = 0;
        for (TowerReplica.Embeddings e : embedded) {
            System.arraycopy(e.keys(), 0, keys, at, e.keys().length);
            System.arraycopy(e.items(), 0, items, at, e.items().length);
            System.arraycopy(e.queries(), 0, gathered, at * d, e.queries().length);
            at += e.items().length;
        }
        for (int r = 0; r < n; r++) {
            order[r] = r;
        }
        Arrays.sort(order, (x, y) -> compareRows(x, y, keys, items, gathered, d));
        int[] place = new int[n];
        float[] q = new float[n * d];
        int[] canonicalItems = new int[n];
        for (int k = 0; k < n; k++) {
            place[order[k]] = k;
            canonicalItems[k] = items[order[k]];
            System.arraycopy(gathered, order[k] * d, q, k * d, d);
        }
        DistinctCandidates columns = DistinctCandidates.of(canonicalItems, null);
        int u = columns.size();
        int[] columnOf = new int[itemFrequency.length];
        Arrays.fill(columnOf, -1);
        int[] ids = columns.ids();
        for (int k = 0; k < u; k++) {
            columnOf[ids[k]] = k;
        }
        // Each distinct item's embedding from the first partition that has it, which then owns its gradient.
        float[] c = new float[u * d];
        int[] owner = new int[u];
        Arrays.fill(owner, -1);
        for (TowerReplica.Embeddings e : embedded) {
            for (int k = 0; k < e.distinctItems().length; k++) {
                int col = columnOf[e.distinctItems()[k]];
                if (owner[col] < 0) {
                    owner[col] = e.partition();
                    System.arraycopy(e.candidates(), k * d, c, col * d, d);
                }
            }
        }
        Retrieval retrieval = model.retrieval();
        Tensor queries = Tensor.wrap(q, n, d).requiresGrad(true);
        Tensor candidates = Tensor.wrap(c, u, d).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            Tensor l = retrieval.loss(queries, columns, candidates, logQ(retrieval, ids, itemFrequency));
            loss[0] = l.item();
            loss[1] = n;
            tape.backward(l);
        }
        float[] gq = queries.grad();
        float[] gc = candidates.grad();
        at = 0;
        for (TowerReplica.Embeddings e : embedded) {
            int rowsHere = e.items().length;
            int ownedHere = 0;
            for (int col = 0; col < u; col++) {
                ownedHere += owner[col] == e.partition() ? 1 : 0;
            }
            if (rowsHere == 0 && ownedHere == 0) {
                continue;
            }
            int[] owned = new int[ownedHere];
            float[] ownedGrad = new float[ownedHere * d];
            int o = 0;
            for (int col = 0; col < u; col++) {
                if (owner[col] == e.partition()) {
                    owned[o] = ids[col];
                    System.arraycopy(gc, col * d, ownedGrad, o * d, d);
                    o++;
                }
            }
            float[] queryGrad = new float[rowsHere * d];
            for (int r = 0; r < rowsHere; r++) {
                System.arraycopy(gq, place[at + r] * d, queryGrad, r * d, d);
            }
            shares.put(e.partition(), new Share(queryGrad, owned, ownedGrad));
            at += rowsHere;
        }
        return true;
    }

    /**
     * The batch's order of rows {@code x} and {@code y}: by key (a hash of user and item), then
     * item, then the bits of the query embedding; rows equal in all three are interchangeable.
     */
    private static int compareRows(int x, int y, long[] keys, int[] items, float[] queries, int d) {
        int c = Long.compare(keys[x], keys[y]);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(items[x], items[y]);
        for (int j = 0; j < d && c == 0; j++) {
            c = Integer.compare(Float.floatToRawIntBits(queries[x * d + j]), Float.floatToRawIntBits(queries[y * d + j]));
        }
        return c;
    }

    /** Each column's log sampling probability, as the single-process model takes it; null without log-q correction. */
    private static float[] logQ(Retrieval retrieval, int[] ids, double[] itemFrequency) {
        if (!retrieval.logQCorrection()) {
            return null;
        }
        float[] out = new float[ids.length];
        for (int k = 0; k < ids.length; k++) {
            out[k] = (float) Math.min(0.0, Math.log(itemFrequency[ids[k]]));
        }
        return out;
    }
}
