package org.embedrec.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.embedrec.models.FeatureExamples;
import org.embedrec.models.FeatureModel;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.train.TrainingDivergedException;

/**
 * Synchronous data-parallel training, in Spark's own way (as MLlib's gradient descent): each
 * step broadcasts the driver's weights, every partition computes the gradient of its share of
 * the global batch on its own {@link Replica} (embedding gradients as the rows it looked up),
 * {@code treeAggregate} brings the shares to the driver, which sums them in partition order
 * ({@link PartitionGradients}) and applies the optimizer to its model. The optimizer's state
 * lives on the driver only.
 *
 * <p>The result is a function of the data, the partitioning and the seed: batches are chosen by
 * hashing each row ({@link PartitionRows}), a partition sums its rows in its own order (in float,
 * in one batched backward pass), and the driver adds the partitions' sums in partition order (in
 * double, {@link Gradients}). With another partitioning only the order of float additions
 * within the partitions' passes changes.
 *
 * <p>Each step costs a broadcast of every weight and one Spark job: on small data that overhead,
 * not the arithmetic, sets the pace (the README gives a step's time beside a local step's).
 */
final class DataParallelTraining {
    /** Loss per epoch, and the wall time of every step in seconds. */
    record Result(List<Double> epochLosses, double[] stepSeconds, int steps) {}

    private DataParallelTraining() {}

    /**
     * Trains {@code model} (the driver's copy, whose parameters the optimizer steps) for
     * {@code epochs} epochs of about {@code batchSize} rows per step over {@code rows}, cached by
     * the caller; {@code recipe} builds the executors' replicas.
     */
    static Result fit(JavaSparkContext sc, JavaRDD<PartitionRows> rows, long totalRows, ReplicaRecipe recipe,
                      FeatureModel model, Optimizer optimizer, int epochs, int batchSize, long seed) {
        Objects.requireNonNull(model, "model");
        int numBatches = (int) Math.max(1, (totalRows + batchSize - 1) / batchSize);
        Broadcast<ReplicaRecipe> recipeCast = sc.broadcast(recipe);
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
                    PartitionGradients g = step(sc, rows, recipeCast, params, seed, epoch, b, numBatches);
                    if (DataParallelTraining.applyStep(g, params, optimizer, epoch, b, numBatches)) {
                        lossSum += g.meanLoss() * g.rows();
                        lossRows += g.rows();
                    }
                    stepSeconds[steps++] = (System.nanoTime() - start) / 1e9;
                }
                losses.add(lossSum / lossRows);
            }
        } finally {
            recipeCast.destroy();
            Replica.forget(recipe.id());
        }
        return new Result(losses, stepSeconds, steps);
    }

    /**
     * Applies one step's summed gradients: checks their mean loss is finite (else names the epoch
     * and batch), adds every partition's gradients to {@code params} in partition order and steps
     * the optimizer. False, and nothing done, for a batch with no rows.
     */
    static boolean applyStep(PartitionGradients g, List<Parameter> params, Optimizer optimizer, int epoch, int batch,
                             int numBatches) {
        if (g.rows() == 0) {
            return false;
        }
        double loss = g.meanLoss();
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(epoch + 1, batch + 1, numBatches, loss);
        }
        g.sumInto(params);
        optimizer.step(params);
        return true;
    }

    /** One step's gradients, every partition's under its index. */
    private static PartitionGradients step(JavaSparkContext sc, JavaRDD<PartitionRows> rows,
                                           Broadcast<ReplicaRecipe> recipe, List<Parameter> params, long seed,
                                           int epoch, int batch, int numBatches) {
        float[][] weights = new float[params.size()][];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = params.get(p).value().data();
        }
        Broadcast<float[][]> weightsCast = sc.broadcast(weights);
        try {
            return rows.treeAggregate(new PartitionGradients(), (acc, part) -> {
                int[] mine = part.batch(seed, epoch, batch, numBatches);
                Replica replica = Replica.borrow(recipe.value());
                try {
                    FeatureExamples examples = part.encoded(replica::encode);
                    long streams = PartitionRows.batchOf(seed, epoch, ((long) batch << 20) ^ part.index,
                            Integer.MAX_VALUE);
                    return acc.add(part.index, replica.gradients(weightsCast.value(), examples, mine, streams));
                } finally {
                    Replica.release(replica);
                }
            }, PartitionGradients::merge, 2);
        } finally {
            weightsCast.destroy();
        }
    }
}
