package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.models.rating.RatingSpecs;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataParallelTrainingTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = PlantedRatings.localSpark("DataParallelTrainingTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void oneGlobalBatchOverOneOrTwoPartitionsGivesTheSameParametersAfterFiftySteps() {
        List<Row> rows = PlantedRatings.rows(40, 30, 0.5, 7);
        assertThat(rows.size()).isLessThan(1024);
        // One batch per epoch (every row in it), 50 epochs: 50 steps of the same global batch.
        EmbedrecRating estimator = new EmbedrecRating().setItemCol("movie").setRatingCol("stars")
                .setModel("mf").setEmbeddingDim(8).setBatchSize(1024).setEpochs(50).setLearningRate(0.01);
        Dataset<Row> one = PlantedRatings.frame(spark, rows, 1);
        Dataset<Row> two = PlantedRatings.frame(spark, rows, 2);
        assertThat(one.rdd().getNumPartitions()).isEqualTo(1);
        assertThat(two.rdd().getNumPartitions()).isEqualTo(2);

        EmbedrecRating.Trained a = estimator.train(one);
        EmbedrecRating.Trained b = estimator.train(two);

        assertThat(a.result().steps()).isEqualTo(50);
        assertThat(b.result().steps()).isEqualTo(50);
        List<Parameter> pa = a.model().parameters();
        List<Parameter> pb = b.model().parameters();
        assertThat(pa).hasSameSizeAs(pb);
        double largest = 0;
        double moved = 0;
        for (int p = 0; p < pa.size(); p++) {
            float[] x = pa.get(p).value().data();
            float[] y = pb.get(p).value().data();
            for (int k = 0; k < x.length; k++) {
                largest = Math.max(largest, Math.abs(x[k] - y[k]));
            }
        }
        // The model did train: the loss fell well below where it started.
        List<Double> losses = a.result().epochLosses();
        moved = losses.get(0) - losses.get(losses.size() - 1);
        assertThat(moved).isGreaterThan(0.5);
        assertThat(largest).isLessThanOrEqualTo(1e-5);
        assertThat(b.result().epochLosses().get(49)).isCloseTo(losses.get(49), org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void fullBatchStepsOnTwoPartitionsEqualTheSingleProcessTrainersSteps() {
        List<Row> rows = PlantedRatings.rows(30, 20, 0.5, 3);
        EmbedrecRating estimator = new EmbedrecRating().setItemCol("movie").setRatingCol("stars")
                .setModel("mf").setEmbeddingDim(4).setBatchSize(1024).setEpochs(10).setLearningRate(0.01);
        Dataset<Row> frame = PlantedRatings.frame(spark, rows, 2);
        EmbedrecRating.Trained spark2 = estimator.train(frame);
        FeatureExperiment.Prepared prepared = SingleProcess.prepare(RatingSpecs.of("mf", estimator.config()),
                SingleProcess.ratings(frame.collectAsList()), null);
        // Adapted by Spark aggregations, the preprocessing and label statistics are the single process's.
        assertThat(spark2.encoder().toJson()).isEqualTo(prepared.encoder().toJson());
        assertThat(spark2.statistics().meanLabel).isEqualTo(prepared.meanLabel());
        assertThat(spark2.statistics().minLabel).isEqualTo(prepared.minLabel());
        assertThat(spark2.statistics().maxLabel).isEqualTo(prepared.maxLabel());
        FeatureExperiment.Fitted local = FeatureExperiment.fit(prepared,
                FeatureExperiment.Settings.of(prepared.spec(), 42L));
        List<Parameter> pa = spark2.model().parameters();
        List<Parameter> pb = local.model().parameters();
        double largest = 0;
        for (int p = 0; p < pa.size(); p++) {
            assertThat(pa.get(p).name()).isEqualTo(pb.get(p).name());
            float[] x = pa.get(p).value().data();
            float[] y = pb.get(p).value().data();
            for (int k = 0; k < x.length; k++) {
                largest = Math.max(largest, Math.abs(x[k] - y[k]));
            }
        }
        assertThat(largest).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void aModelWithDropoutTrainsToTheSameBitsTwiceOnOnePartitioning() {
        // Tasks borrow pooled replicas in any order; dropout masks must not depend on which one.
        List<Row> rows = PlantedRatings.rows(20, 16, 0.5, 5);
        EmbedrecRating estimator = new EmbedrecRating().setItemCol("movie").setRatingCol("stars")
                .setModel("ncf-mlp").setEmbeddingDim(4).setBatchSize(64).setEpochs(2);
        Dataset<Row> two = PlantedRatings.frame(spark, rows, 2);
        List<Parameter> a = estimator.train(two).model().parameters();
        List<Parameter> b = estimator.train(two).model().parameters();
        for (int p = 0; p < a.size(); p++) {
            assertThat(b.get(p).value().data()).as(a.get(p).name()).containsExactly(a.get(p).value().data());
        }
    }

    @Test
    void batchesDependOnTheRowsNotOnThePartitioning() {
        // Every row is in exactly one batch per epoch, and batches change between epochs.
        long key = PartitionRows.rowKey("u1", "100");
        int[] counts = new int[8];
        boolean changed = false;
        int first = PartitionRows.batchOf(42, 0, key, 8);
        for (int epoch = 0; epoch < 50; epoch++) {
            int b = PartitionRows.batchOf(42, epoch, key, 8);
            assertThat(b).isBetween(0, 7);
            counts[b]++;
            changed |= b != first;
        }
        assertThat(changed).isTrue();
        assertThat(PartitionRows.rowKey("u1", "100")).isEqualTo(key).isNotEqualTo(PartitionRows.rowKey("u11", "00"));
    }
}
