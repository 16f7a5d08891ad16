package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalStepsAveragingTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = PlantedRatings.localSpark("LocalStepsAveragingTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void oneRoundOnOnePartitionIsPlainTrainingOnItsBatches() {
        // 4 batches in one epoch; K = 4 on one partition: one round, no averaging, the same
        // optimizer from a fresh state as the synchronous run: the same steps.
        List<Row> rows = PlantedRatings.rows(30, 20, 0.5, 9);
        EmbedrecRating sync = new EmbedrecRating().setItemCol("movie").setRatingCol("stars").setModel("mf")
                .setEmbeddingDim(4).setBatchSize(80).setEpochs(1).setLearningRate(0.01);
        EmbedrecRating averaged = sync.copy(new org.apache.spark.ml.param.ParamMap()).setLocalSteps(4);
        EmbedrecRating.Trained a = sync.train(PlantedRatings.frame(spark, rows, 1));
        EmbedrecRating.Trained b = averaged.train(PlantedRatings.frame(spark, rows, 1));
        assertThat(a.result().steps()).isEqualTo(4);
        assertThat(b.result().steps()).isEqualTo(1);
        List<Parameter> pa = a.model().parameters();
        List<Parameter> pb = b.model().parameters();
        double largest = 0;
        for (int p = 0; p < pa.size(); p++) {
            float[] x = pa.get(p).value().data();
            float[] y = pb.get(p).value().data();
            for (int k = 0; k < x.length; k++) {
                largest = Math.max(largest, Math.abs(x[k] - y[k]));
            }
        }
        assertThat(largest).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void averagingOverTwoPartitionsLearns() {
        List<Row> rows = PlantedRatings.rows(30, 24, 0.6, 11);
        EmbedrecRating.Trained t = new EmbedrecRating().setItemCol("movie").setRatingCol("stars").setModel("mf")
                .setEmbeddingDim(8).setBatchSize(64).setEpochs(6).setLearningRate(0.03).setLocalSteps(3)
                .train(PlantedRatings.frame(spark, rows, 2));
        List<Double> losses = t.result().epochLosses();
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.5);
    }
}
