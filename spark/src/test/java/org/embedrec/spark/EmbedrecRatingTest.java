package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedrecRatingTest {
    private static SparkSession spark;
    private static List<Row> rows;
    private static Dataset<Row> train;
    private static EmbedrecRatingModel model;

    @BeforeAll
    static void fit() {
        spark = PlantedRatings.localSpark("EmbedrecRatingTest");
        rows = PlantedRatings.rows(30, 24, 0.6, 11);
        train = PlantedRatings.frame(spark, rows, 2);
        model = new EmbedrecRating().setItemCol("movie").setRatingCol("stars").setEmbeddingDim(8)
                .setBatchSize(128).setEpochs(8).setLearningRate(0.03).fit(train);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void learnsThePlantedTastes() {
        // Users of group u%2 rate items of kind i%2 highly: the model must rank them first.
        Recommender r = model.recommender();
        int right = 0;
        int total = 0;
        for (String user : r.userIds()) {
            int group = Integer.parseInt(user.substring(1)) % 2;
            for (RecommendedItem item : r.recommend(Query.user(user).k(5).build()).items()) {
                total++;
                right += (Integer.parseInt(item.itemId()) - 100) % 2 == group ? 1 : 0;
            }
        }
        assertThat(total).isEqualTo(30 * 5);
        assertThat(right).isGreaterThanOrEqualTo(total * 9 / 10);
    }

    @Test
    void transformAndRecommendForAllUsersEqualTheSavedRecommenderForEveryUser(@TempDir Path dir) throws Exception {
        String path = dir.resolve("mf").toString();
        model.write().save(path);
        Recommender single = Recommender.load(dir.resolve("mf").resolve(EmbedrecRatingModel.EMBEDREC_DIR));
        assertThat(single.userIds()).hasSize(30);

        Dataset<Row> recs = model.recommendForAllUsers(7);
        assertThat(recs.columns()).containsExactly("user", "recommendations");
        List<Row> got = recs.collectAsList();
        assertThat(got).hasSize(30);
        for (Row row : got) {
            List<RecommendedItem> expected = single.recommend(Query.user(row.getString(0)).k(7).build()).items();
            List<Row> items = row.getList(1);
            assertThat(items).hasSize(7);
            for (int i = 0; i < 7; i++) {
                assertThat(items.get(i).getString(0)).isEqualTo(expected.get(i).itemId());
                assertThat(items.get(i).getFloat(1)).isEqualTo(expected.get(i).score());
            }
        }

        List<Row> scored = model.transform(train).collectAsList();
        assertThat(scored).hasSize(rows.size());
        for (Row row : scored) {
            float expected = single.score(row.getString(0), List.of(Integer.toString(row.getInt(1))))
                    .items().get(0).score();
            assertThat(row.getFloat(3)).isEqualTo(expected);
        }
    }

    @Test
    void aSavedModelLoadsBackWithItsParametersAndAnswers(@TempDir Path dir) throws Exception {
        String path = dir.resolve("saved").toString();
        model.copy(new org.apache.spark.ml.param.ParamMap()).setPredictionCol("score").write().save(path);
        EmbedrecRatingModel loaded = EmbedrecRatingModel.load(path);
        assertThat(loaded.uid()).isEqualTo(model.uid());
        assertThat(loaded.getOrDefault(loaded.itemCol())).isEqualTo("movie");
        assertThat(loaded.getOrDefault(loaded.predictionCol())).isEqualTo("score");
        Map<String, Float> before = predictions(model.transform(train), 3);
        Map<String, Float> after = predictions(loaded.transform(train), 3);
        assertThat(after).isEqualTo(before);
        assertThatThrownBy(() -> model.write().save(path)).hasMessageContaining(path);
    }

    @Test
    void unknownUsersOrItemsArePredictedNaNOrDropped() {
        Dataset<Row> test = spark.createDataFrame(List.of(RowFactory.create("u1", 100, 5.0),
                RowFactory.create("stranger", 100, 5.0), RowFactory.create("u1", 999, 5.0)), PlantedRatings.SCHEMA);
        List<Row> nan = model.transform(test).collectAsList();
        assertThat(nan.get(0).getFloat(3)).isNotNaN();
        assertThat(nan.get(1).getFloat(3)).isNaN();
        assertThat(nan.get(2).getFloat(3)).isNaN();
        EmbedrecRatingModel dropping = model.copy(new org.apache.spark.ml.param.ParamMap()).setColdStartStrategy("drop");
        assertThat(dropping.transform(test).count()).isEqualTo(1);
        Dataset<Row> subset = spark.createDataFrame(List.of(RowFactory.create("u3", 1, 1.0),
                RowFactory.create("stranger", 1, 1.0), RowFactory.create("u3", 2, 1.0)), PlantedRatings.SCHEMA);
        List<Row> recs = model.recommendForUserSubset(subset, 4).collectAsList();
        assertThat(recs).hasSize(1);
        assertThat(recs.get(0).getString(0)).isEqualTo("u3");
        assertThat(recs.get(0).getList(1)).hasSize(4);
    }

    @Test
    void rmseAndMaeFromTransformAndSparksRegressionEvaluatorEqualEmbedrecsOwnMetrics() {
        // Every seventh row held out (each held-out user and item also occurs in training).
        List<Row> trainRows = new java.util.ArrayList<>();
        List<Row> testRows = new java.util.ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            (r % 7 == 6 ? testRows : trainRows).add(rows.get(r));
        }
        EmbedrecRating e = new EmbedrecRating().setItemCol("movie").setRatingCol("stars").setEmbeddingDim(8)
                .setBatchSize(128).setEpochs(8).setLearningRate(0.03);
        Dataset<Row> trainFrame = PlantedRatings.frame(spark, trainRows, 2);
        Dataset<Row> testFrame = PlantedRatings.frame(spark, testRows, 2);
        EmbedrecRating.Trained t = e.train(trainFrame);
        // embedrec's rmse and mae score predictions clipped to the training labels' range (a 5.3
        // counts as 5); transform gives them clipped the same way, so Spark's evaluator matches as is.
        Dataset<Row> predicted = e.fit(trainFrame).transform(testFrame);
        double rmse = new RegressionEvaluator().setLabelCol("stars").setPredictionCol("prediction")
                .setMetricName("rmse").evaluate(predicted);
        double mae = new RegressionEvaluator().setLabelCol("stars").setPredictionCol("prediction")
                .setMetricName("mae").evaluate(predicted);
        float min = t.statistics().minLabel;
        float max = t.statistics().maxLabel;
        assertThat(predicted.filter(functions.col("prediction").lt(min).or(functions.col("prediction").gt(max)))
                .count()).as("predictions outside the training range [" + min + ", " + max + "]").isZero();

        List<Row> ordered = new java.util.ArrayList<>(trainFrame.collectAsList());
        ordered.addAll(testRows);
        org.embedrec.data.Interactions all = SingleProcess.ratings(ordered);
        FeatureExperiment.Prepared prepared = SingleProcess.prepare(t.encoder().spec(), all,
                java.util.stream.IntStream.range(0, trainRows.size()).toArray(),
                java.util.stream.IntStream.range(trainRows.size(), ordered.size()).toArray(), null);
        assertThat(prepared.encoder().toJson()).isEqualTo(t.encoder().toJson());
        Map<String, Double> own = t.model().metrics(prepared.test());
        float[] raw = t.model().predictRatings(prepared.test().queries(), prepared.test().items(),
                prepared.test().catalogue());
        double unclipped = org.embedrec.metrics.RootMeanSquaredError.compute(raw, prepared.test().labels());

        assertThat(predicted.count()).isEqualTo(testRows.size());
        assertThat(rmse).isCloseTo(own.get("rmse"), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(mae).isCloseTo(own.get("mae"), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(unclipped).as("some raw predictions fall outside 1..5, so clipping is really tested")
                .isGreaterThan(rmse);
        // Learned: well under the error of predicting the training mean (the planted 1-2 / 4-5 split).
        double squared = 0;
        for (Row r : testRows) {
            squared += Math.pow(r.getDouble(2) - t.statistics().meanLabel, 2);
        }
        assertThat(rmse).isLessThan(0.8 * Math.sqrt(squared / testRows.size()));
    }

    @Test
    void badColumnsAreRefusedNamingTheParameterAndColumn() {
        assertThatThrownBy(() -> new EmbedrecRating().setUserCol("usr").setItemCol("movie").setRatingCol("stars")
                .fit(train))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userCol 'usr': no such column")
                .hasMessageContaining("[user, movie, stars]");
        assertThatThrownBy(() -> new EmbedrecRating().setItemCol("movie").fit(train))
                .hasMessageContaining("ratingCol 'rating': no such column");
        assertThatThrownBy(() -> new EmbedrecRating().setItemCol("movie").setRatingCol("user").fit(train))
                .hasMessageContaining("ratingCol 'user': ratings must be numeric, got string");
        assertThatThrownBy(() -> model.copy(new org.apache.spark.ml.param.ParamMap()).setItemCol("film")
                .transform(train))
                .hasMessageContaining("itemCol 'film': no such column");
        assertThatThrownBy(() -> model.recommendForAllUsers(0)).hasMessageContaining("k: 0");
        Dataset<Row> withNull = spark.createDataFrame(List.of(RowFactory.create("u1", 100, 5.0),
                RowFactory.create(null, 101, 4.0)), new org.apache.spark.sql.types.StructType()
                .add("user", "string", true).add("movie", "int").add("stars", "double"));
        assertThatThrownBy(() -> new EmbedrecRating().setItemCol("movie").setRatingCol("stars").fit(withNull))
                .hasMessageContaining("userCol: a null value in row 2");
        Dataset<Row> withNaN = spark.createDataFrame(List.of(RowFactory.create("u1", 100, 5.0),
                RowFactory.create("u2", 101, 4.0), RowFactory.create("u3", 101, Double.NaN)), PlantedRatings.SCHEMA);
        assertThatThrownBy(() -> new EmbedrecRating().setItemCol("movie").setRatingCol("stars").fit(withNaN))
                .hasMessageContaining("ratingCol: rating NaN in row 3 [u3,101,NaN], expected a finite number");
    }

    private static Map<String, Float> predictions(Dataset<Row> scored, int column) {
        Map<String, Float> out = new HashMap<>();
        for (Row r : scored.collectAsList()) {
            out.put(r.getString(0) + "/" + r.getInt(1), r.getFloat(column));
        }
        return out;
    }
}
