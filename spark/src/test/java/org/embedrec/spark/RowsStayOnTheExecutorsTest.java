package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fitting does not bring the rows to the driver: the bytes every task returns to the driver (a
 * listener sums each task's result size) stay the same when every row is repeated 16 times,
 * which keeps the users, the items, the distinct pairs and so the vocabularies, each user's seen
 * items and the parameters the same. Collecting the rows (as fit did before) returns 16 times
 * their bytes.
 */
class RowsStayOnTheExecutorsTest {
    private static SparkSession spark;
    private static final AtomicLong RESULT_BYTES = new AtomicLong();

    @BeforeAll
    static void start() {
        spark = PlantedRatings.localSpark("RowsStayOnTheExecutorsTest");
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    RESULT_BYTES.addAndGet(end.taskMetrics().resultSize());
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The bytes tasks return to the driver while {@code estimator} fits {@code rows} in two partitions. */
    private static long resultBytesOfFit(EmbedrecRating estimator, List<Row> rows) {
        Dataset<Row> frame = PlantedRatings.frame(spark, rows, 2);
        frame.count();
        waitForListener();
        long before = RESULT_BYTES.get();
        estimator.fit(frame);
        waitForListener();
        return RESULT_BYTES.get() - before;
    }

    /** Task-end events arrive on the listener bus's thread; give it time to deliver them. */
    private static void waitForListener() {
        try {
            long last = -1;
            while (last != RESULT_BYTES.get()) {
                last = RESULT_BYTES.get();
                Thread.sleep(300);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theBytesTasksReturnToTheDriverDoNotGrowWithTheRows() {
        List<Row> rows = PlantedRatings.rows(30, 24, 0.6, 11);
        List<Row> repeated = new ArrayList<>();
        for (int copy = 0; copy < 16; copy++) {
            repeated.addAll(rows);
        }
        // One step per epoch either way, so both fits run the same jobs over the same partitions.
        EmbedrecRating estimator = new EmbedrecRating().setItemCol("movie").setRatingCol("stars").setModel("mf")
                .setEmbeddingDim(4).setBatchSize(1 << 20).setEpochs(1);
        long once = resultBytesOfFit(estimator, rows);
        long sixteenTimes = resultBytesOfFit(estimator, repeated);
        // What collecting the rows would add: at least their strings' bytes, 16 times over.
        long rowBytes = 0;
        for (Row r : repeated) {
            rowBytes += r.getString(0).length() + 3 + 4;
        }
        System.out.printf("RowsStayOnTheExecutorsTest: task results to the driver: %d bytes for %d rows, %d bytes "
                + "for %d rows (the rows' strings alone: %d bytes)%n", once, rows.size(), sixteenTimes, repeated.size(),
                rowBytes);
        assertThat(once).isPositive();
        assertThat(sixteenTimes - once).as("extra bytes returned for 16 times the rows; the rows are "
                + rowBytes + " bytes").isLessThan(Math.max(once / 5, 1)).isLessThan(rowBytes / 4);
    }
}
