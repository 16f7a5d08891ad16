package org.embedrec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.embedrec.models.FeatureExamples;
import org.embedrec.models.FeatureModel;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.optim.Optimizers;
import org.embedrec.nn.train.TrainingDivergedException;

/**
 * K local steps, then averaging (local SGD, "model averaging"): a different algorithm from
 * {@link DataParallelTraining}, chosen with {@code EmbedrecRating.setLocalSteps(K > 1)}. Each
 * round broadcasts the weights; every partition takes K steps of its own, on its own rows of K
 * consecutive batches, each step on the mean loss of its rows alone, with a fresh optimizer of
 * the configured kind (its state does not outlive the round); the driver then sets every weight
 * to the partitions' average weighted by the rows they stepped on, summed in partition order.
 * It costs one Spark job per K steps rather than per step, and its result is not that of
 * synchronous training: partitions drift apart between averages. With one partition and one
 * round it is plain local training on the partition's batches.
 *
 * <p>Each partition sends back every weight (whole tables), so it suits models whose tables are
 * small beside the data.
 */
final class LocalStepsAveraging {
    private LocalStepsAveraging() {}

    /** What one partition sends back from a round. */
    private record Local(int rows, double lossSum, float[][] weights) implements Serializable {}

    /** The partitions' results of a round under their indices; merged on the driver in partition order. */
    private static final class Round implements Serializable {
        private static final long serialVersionUID = 1L;
        final TreeMap<Integer, Local> byPartition = new TreeMap<>();

        Round add(int partition, Local local) {
            byPartition.put(partition, local);
            return this;
        }

        Round merge(Round other) {
            byPartition.putAll(other.byPartition);
            return this;
        }
    }

    static DataParallelTraining.Result fit(JavaSparkContext sc, JavaRDD<PartitionRows> rows, long totalRows,
                                           ReplicaRecipe recipe, FeatureModel model, String optimizer,
                                           double learningRate, int epochs, int batchSize, int localSteps, long seed) {
        int numBatches = (int) Math.max(1, (totalRows + batchSize - 1) / batchSize);
        int rounds = (numBatches + localSteps - 1) / localSteps;
        Broadcast<ReplicaRecipe> recipeCast = sc.broadcast(recipe);
        List<Parameter> params = model.parameters();
        List<Double> losses = new ArrayList<>();
        double[] roundSeconds = new double[epochs * rounds];
        int done = 0;
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                double lossSum = 0;
                long lossRows = 0;
                for (int r = 0; r < rounds; r++) {
                    long start = System.nanoTime();
                    int first = r * localSteps;
                    int last = Math.min(numBatches, first + localSteps);
                    Round round = round(sc, rows, recipeCast, params, optimizer, learningRate, seed, epoch, first,
                            last, numBatches);
                    long n = 0;
                    double roundLoss = 0;
                    for (Local l : round.byPartition.values()) {
                        n += l.rows();
                        roundLoss += l.lossSum();
                    }
                    if (n > 0) {
                        if (!Double.isFinite(roundLoss)) {
                            throw new TrainingDivergedException(epoch + 1, first + 1, numBatches, roundLoss / n);
                        }
                        average(params, round, n);
                        lossSum += roundLoss;
                        lossRows += n;
                    }
                    roundSeconds[done++] = (System.nanoTime() - start) / 1e9;
                }
                losses.add(lossSum / lossRows);
            }
        } finally {
            recipeCast.destroy();
            Replica.forget(recipe.id());
        }
        return new DataParallelTraining.Result(losses, roundSeconds, done);
    }

    /** Sets every weight to the partitions' row-weighted average, added in partition order. */
    private static void average(List<Parameter> params, Round round, long rows) {
        for (int p = 0; p < params.size(); p++) {
            float[] w = params.get(p).value().data();
            double[] sum = new double[w.length];
            for (Local l : round.byPartition.values()) {
                if (l.rows() == 0) {
                    continue;
                }
                float[] x = l.weights()[p];
                for (int k = 0; k < w.length; k++) {
                    sum[k] += (double) l.rows() * x[k];
                }
            }
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (sum[k] / rows);
            }
        }
    }

    private static Round round(JavaSparkContext sc, JavaRDD<PartitionRows> rows, Broadcast<ReplicaRecipe> recipe,
                               List<Parameter> params, String optimizer, double learningRate, long seed, int epoch,
                               int first, int last, int numBatches) {
        float[][] weights = new float[params.size()][];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = params.get(p).value().data();
        }
        Broadcast<float[][]> weightsCast = sc.broadcast(weights);
        try {
            return rows.treeAggregate(new Round(), (acc, part) -> {
                Replica replica = Replica.borrow(recipe.value());
                try {
                    FeatureExamples examples = part.encoded(replica::encode);
                    replica.setWeights(weightsCast.value());
                    Optimizer local = Optimizers.create(optimizer, learningRate);
                    int n = 0;
                    double lossSum = 0;
                    for (int b = first; b < last; b++) {
                        int[] mine = part.batch(seed, epoch, b, numBatches);
                        if (mine.length == 0) {
                            continue;
                        }
                        long streams = PartitionRows.batchOf(seed, epoch, ((long) b << 20) ^ part.index,
                                Integer.MAX_VALUE);
                        lossSum += (double) replica.localStep(local, examples, mine, streams) * mine.length;
                        n += mine.length;
                    }
                    return acc.add(part.index, new Local(n, lossSum, n == 0 ? null : replica.weights()));
                } finally {
                    Replica.release(replica);
                }
            }, Round::merge, 2);
        } finally {
            weightsCast.destroy();
        }
    }
}
