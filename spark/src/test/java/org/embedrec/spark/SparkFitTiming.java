package org.embedrec.spark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a fit's time goes, on MovieLens 100K u1.base over 2 partitions of {@code local[2]}:
 * {@code EmbedrecRating} ({@code mf}, batch 1024) fitted {@code runs} times in one session, each
 * fit's wall time split into its training steps and everything else (checking and adapting on
 * the rows, the saved model's history, writing the artifact), with the Spark jobs' times by the line
 * that started them. Not a test: run by hand, as the
 * README shows, to see what the Spark aggregations cost beside the steps.
 */
public final class SparkFitTiming {
    private SparkFitTiming() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        SparkSession spark = SparkSession.builder().master("local[2]").appName("embedrec-fit-timing")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        // Each Spark job's wall time by where it was started, summed over a fit: the profile of "the rest".
        Map<String, double[]> jobs = new TreeMap<>();
        Map<Integer, Object[]> started = new ConcurrentHashMap<>();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                // The job's last stage is named by the call that started it ("collect at X.java:12").
                started.put(start.jobId(), new Object[] {start.time(), start.stageInfos().last().name()});
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd end) {
                Object[] s = started.remove(end.jobId());
                if (s != null) {
                    synchronized (jobs) {
                        double[] t = jobs.computeIfAbsent((String) s[1], k -> new double[2]);
                        t[0] += (end.time() - (Long) s[0]) / 1e3;
                        t[1]++;
                    }
                }
            }
        });
        Dataset<Row> train = spark.read().option("sep", "\t").schema(MovieLensU1Comparison.U_DATA)
                .csv(dir.resolve("u1.base").toString()).repartition(2).cache();
        long rows = train.count();
        for (int run = 1; run <= runs; run++) {
            EmbedrecRating estimator = new EmbedrecRating().setModel("mf").setEpochs(epochs).setBatchSize(1024);
            synchronized (jobs) {
                jobs.clear();
            }
            long start = System.nanoTime();
            estimator.fit(train);
            double fit = (System.nanoTime() - start) / 1e9;
            double steps = Arrays.stream(estimator.lastStepSeconds()).sum();
            System.out.printf(Locale.ROOT, "run %d: %d rows, fit %.2f s = steps %.2f s (%d) + the rest %.2f s%n", run,
                    rows, fit, steps, estimator.lastStepSeconds().length, fit - steps);
            try {
                Thread.sleep(500); // the listener bus delivers the last job's end on its own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (jobs) {
                jobs.forEach((site, t) -> System.out.printf(Locale.ROOT, "    %-45s %3.0f jobs %7.2f s%n", site, t[1],
                        t[0]));
            }
        }
        spark.stop();
    }
}
