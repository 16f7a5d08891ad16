package org.embedrec.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.models.sequential.NextItemEvaluation;
import org.embedrec.models.sequential.NextItemScorer;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;

/**
 * The Spark next-item proof on MovieLens 100K (not a test: run by hand, see the README's Spark
 * section): leave-last-out as {@code embedrec train --model sasrec|gru4rec} splits it, one model
 * trained in one process on the training sequences ({@link SequentialModels#fit}) and one trained
 * data-parallel through {@link EmbedrecSequential} on local[2] from a data frame of the same
 * training rows, in their input order (equal timestamps keep it on both sides). Both are scored
 * by the single-process evaluation (full ranking of the 1,682 movies after each test history,
 * seen items excluded); the Spark model's catalogue is the training rows' items in sorted id
 * order, so its scores are mapped back to the split's numbering (an item no training row has
 * scores -infinity). Prints HR@10 and NDCG@10 of both, the fit times and the median step.
 *
 * <p>Arguments: the ml-100k directory, the model ({@code sasrec}), epochs (4), partitions (2), seed (1).
 * The configuration is the README's: max length 50, batch 32, lr 0.002, dropout 0.2, width 50.
 */
public final class MovieLensSequentialComparison {
    private MovieLensSequentialComparison() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
        String name = args.length > 1 ? args[1] : "sasrec";
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1L;
        SequentialConfig d = SequentialConfig.defaults(name);
        SequentialConfig config = new SequentialConfig(name, 50, d.layers(), 1, 50, 0.2, 0.002, 32, epochs, d.loss(),
                d.sampledNegatives(), seed);
        System.out.println("load " + loadAverage() + " at the start");

        Interactions all = MovieLensReader.read(dir).interactions();
        NextItemSplit split = NextItemSplit.leaveLastOut(all);
        long start = System.nanoTime();
        SequentialModels.Result local = SequentialModels.fit(config, split, epochs);
        double localSeconds = (System.nanoTime() - start) / 1e9;
        local.model().setTraining(false);
        Map<String, Double> localMetrics = NextItemEvaluation.evaluate(local.model(), split.test(), config.seed());
        System.out.println("load " + loadAverage() + " after the one-process fit");

        Interactions train = Split.leaveLastOut(Split.leaveLastOut(all).train()).train();
        SparkSession spark = SparkSession.builder().master("local[" + partitions + "]").appName("embedrec-sequential")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", String.valueOf(partitions))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        // Created, not repartitioned: the list is cut into contiguous slices, so the frame keeps the rows' order.
        Dataset<Row> frame = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows(train),
                partitions), new StructType()
                .add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType)
                .add("timestamp", DataTypes.LongType)).cache();
        frame.count();
        EmbedrecSequential estimator = new EmbedrecSequential().setUserCol("user_id").setItemCol("item_id")
                .setModel(name).setEmbeddingDim(50).setLayers(config.layers()).setHeads(1).setMaxLength(50)
                .setDropout(0.2).setLearningRate(0.002).setBatchSize(32).setEpochs(epochs).setSeed(seed);
        start = System.nanoTime();
        EmbedrecSequential.Trained trained = estimator.train(frame);
        double sparkSeconds = (System.nanoTime() - start) / 1e9;
        List<String> catalogue = trained.served().itemIds();
        Map<String, Double> sparkMetrics = NextItemEvaluation.evaluate(
                new Renumbered(trained.model(), catalogue, all), split.test(), config.seed());
        double[] steps = estimator.lastStepSeconds();
        Arrays.sort(steps);
        System.out.println("load " + loadAverage() + " after the Spark fit");

        System.out.printf(Locale.ROOT, "%s, %d epochs, max length 50, batch 32, lr 0.002, dropout 0.2, width 50, "
                        + "seed %d; %d training rows, %d test users, Spark over %d partitions%n", name, epochs, seed,
                train.size(), split.test().size(), frame.rdd().getNumPartitions());
        System.out.printf(Locale.ROOT, "one process : HR@10 %.4f  NDCG@10 %.4f  fit %.1f s (median epoch %.1f s)%n",
                localMetrics.get("hr@10"), localMetrics.get("ndcg@10"), localSeconds,
                local.history().medianEpochSeconds());
        System.out.printf(Locale.ROOT, "Spark       : HR@10 %.4f  NDCG@10 %.4f  fit %.1f s (median step %.0f ms over "
                        + "%d steps)%n", sparkMetrics.get("hr@10"), sparkMetrics.get("ndcg@10"), sparkSeconds,
                steps[steps.length / 2] * 1e3, steps.length);
        System.out.printf(Locale.ROOT, "epoch losses Spark: %s%n", estimator.lastEpochLosses());
        spark.stop();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static List<Row> rows(Interactions train) {
        List<Row> out = new ArrayList<>(train.size());
        for (int r = 0; r < train.size(); r++) {
            out.add(RowFactory.create(train.users().rawId(train.user(r)), train.items().rawId(train.item(r)),
                    train.timestamp(r)));
        }
        return out;
    }

    /** The Spark model's scores in the split's item numbering: histories mapped in, scores mapped out. */
    private static final class Renumbered implements NextItemScorer {
        private final SequenceEncoder model;
        private final int[] sparkRow;
        private final int numItems;

        Renumbered(SequenceEncoder model, List<String> catalogue, Interactions all) {
            this.model = model;
            this.numItems = all.numItems();
            this.sparkRow = new int[numItems];
            for (int i = 0; i < numItems; i++) {
                sparkRow[i] = catalogue.indexOf(all.items().rawId(i));
            }
        }

        @Override
        public float[][] scores(int[][] histories) {
            int[][] mapped = new int[histories.length][];
            for (int h = 0; h < histories.length; h++) {
                mapped[h] = Arrays.stream(histories[h]).map(i -> sparkRow[i]).filter(i -> i >= 0).toArray();
            }
            float[][] inner = model.scores(mapped);
            float[][] out = new float[histories.length][numItems];
            for (int h = 0; h < histories.length; h++) {
                for (int i = 0; i < numItems; i++) {
                    out[h][i] = sparkRow[i] < 0 ? Float.NEGATIVE_INFINITY : inner[h][sparkRow[i]];
                }
            }
            return out;
        }

        @Override
        public int numItems() {
            return numItems;
        }
    }
}
