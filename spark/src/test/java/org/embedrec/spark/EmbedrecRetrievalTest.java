package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.embedrec.data.Interactions;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureSpec;
import org.embedrec.nn.Parameter;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedrecRetrievalTest {
    private static SparkSession spark;
    private static List<Row> rows;

    @BeforeAll
    static void start() {
        spark = PlantedRatings.localSpark("EmbedrecRetrievalTest");
        rows = PlantedInteractions.rows(24, 16, 0.5, 7);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The two-tower preset with its columns named as the planted frame names them. */
    private static EmbedrecRetrieval estimator() {
        return new EmbedrecRetrieval().setItemCol("movie").setTimestampCol("time").setModel("two-tower");
    }

    private static double largestDifference(List<Parameter> a, List<Parameter> b) {
        assertThat(a).hasSameSizeAs(b);
        double largest = 0;
        for (int p = 0; p < a.size(); p++) {
            assertThat(a.get(p).name()).isEqualTo(b.get(p).name());
            float[] x = a.get(p).value().data();
            float[] y = b.get(p).value().data();
            for (int k = 0; k < x.length; k++) {
                largest = Math.max(largest, Math.abs(x[k] - y[k]));
            }
        }
        return largest;
    }

    @Test
    void oneGlobalBatchOverOneOrTwoPartitionsGivesTheSameParametersAfterFiftySteps() {
        assertThat(rows.size()).isBetween(50, 1024);
        // One batch per epoch: every step's softmax spans both partitions' rows. At the preset's
        // Adagrad 0.1, which turns a gradient's last bits into visible steps: the driver orders the
        // batch's rows by their own keys and each row's gradient is summed in double, so the
        // partitioning does not reach the weights.
        EmbedrecRetrieval e = estimator().setBatchSize(1024).setEpochs(50);
        Dataset<Row> one = PlantedInteractions.frame(spark, rows, 1);
        Dataset<Row> two = PlantedInteractions.frame(spark, rows, 2);
        assertThat(two.rdd().getNumPartitions()).isEqualTo(2);

        EmbedrecRetrieval.Trained a = e.train(one);
        EmbedrecRetrieval.Trained b = e.train(two);

        assertThat(a.result().steps()).isEqualTo(50);
        assertThat(a.settings().learningRate()).isEqualTo(0.1);
        List<Double> losses = a.result().epochLosses();
        assertThat(losses.get(49)).isLessThan(losses.get(0) - 0.05);
        assertThat(largestDifference(a.model().parameters(), b.model().parameters())).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void fullBatchStepsOnTwoPartitionsEqualTheSingleProcessTrainer() {
        EmbedrecRetrieval e = estimator().setSpec(FeatureSpec.preset("two-tower-deep").toJsonString())
                .setBatchSize(1024).setEpochs(10).setLearningRate(0.01);
        Dataset<Row> frame = PlantedInteractions.frame(spark, rows, 2);
        EmbedrecRetrieval.Trained s = e.train(frame);
        FeatureExperiment.Prepared prepared = SingleProcess.prepare(e.featureSpec(),
                SingleProcess.interactions(frame.collectAsList()), null);
        // Every feature kind of the preset (ids, a normalised and bucketed time, a title's words),
        // adapted by Spark aggregations as a single process adapts it.
        SingleProcess.assertSameEncoder(s.encoder(), prepared.encoder());
        assertThat(s.catalogue().catalogueIds()).isEqualTo(prepared.catalogueIds());
        FeatureExperiment.Fitted local = FeatureExperiment.fit(prepared, s.settings());
        double moved = largestDifference(s.model().parameters(),
                FeatureExperiment.fit(prepared, s.settings().withEpochs(1)).model().parameters());
        assertThat(moved).isGreaterThan(1e-3);
        assertThat(largestDifference(s.model().parameters(), local.model().parameters())).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void recommendsThePlantedKindsAsTheSavedRecommenderDoesForEveryUser(@TempDir Path dir) throws Exception {
        EmbedrecRetrievalModel model = estimator().setBatchSize(64).setEpochs(15)
                .setItems(spark.createDataFrame(PlantedInteractions.items(16, 2), PlantedInteractions.ITEMS))
                .fit(PlantedInteractions.frame(spark, rows, 2));
        String path = dir.resolve("tt").toString();
        model.write().save(path);
        Recommender single = Recommender.load(dir.resolve("tt").resolve(EmbedrecRetrievalModel.EMBEDREC_DIR));
        assertThat(single.catalogue().row("116")).isGreaterThanOrEqualTo(0);

        List<Row> got = EmbedrecRetrievalModel.load(path).recommendForAllUsers(3).collectAsList();
        assertThat(got).hasSize(24);
        int ownKind = 0;
        for (Row row : got) {
            String user = row.getString(0);
            List<RecommendedItem> expected = single.recommend(Query.user(user).k(3).build()).items();
            List<Row> items = row.getList(1);
            assertThat(items).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(items.get(i).getString(0)).isEqualTo(expected.get(i).itemId());
                assertThat(items.get(i).getFloat(1)).isEqualTo(expected.get(i).score());
                int item = Integer.parseInt(items.get(i).getString(0)) - 100;
                ownKind += item % 2 == Integer.parseInt(user.substring(1)) % 2 ? 1 : 0;
            }
        }
        assertThat(ownKind).isGreaterThanOrEqualTo(24 * 3 * 8 / 10);

        List<Row> scored = model.transform(spark.createDataFrame(List.of(
                RowFactory.create("u1", 101, 0L, ""), RowFactory.create("stranger", 101, 0L, "")),
                PlantedInteractions.SCHEMA)).collectAsList();
        assertThat(scored.get(0).getFloat(4)).isEqualTo(single.score("u1", List.of("101")).items().get(0).score());
        assertThat(scored.get(1).getFloat(4)).isNaN();
    }

    @Test
    void theSavedRecommendersHistoryFromSparkAggregationsIsTheSingleProcessOnes() {
        // Seen and recent items, latest times, popularity and the catalogue, summarised by Spark
        // jobs, answer every user as the recommender built from the collected rows does.
        Dataset<Row> frame = PlantedInteractions.frame(spark, rows, 2);
        Dataset<Row> itemsFrame = spark.createDataFrame(PlantedInteractions.items(16, 3), PlantedInteractions.ITEMS);
        EmbedrecRetrieval e = estimator().setBatchSize(64).setEpochs(2).setItems(itemsFrame);
        EmbedrecRetrieval.Trained t = e.train(frame);
        FeatureSpec spec = e.featureSpec();
        RetrievalColumns columns = RetrievalColumns.of(spec, frame.schema(), itemsFrame.schema(), "user", "movie",
                "time");
        Recommender fromSpark = Recommender.build(t.model(), t.encoder(), t.catalogue(), t.itemTable(),
                TrainingSummaries.of(columns.rows(frame), columns.layout(), t.statistics(),
                        t.catalogue().catalogueSize(), TrainingSummaries.latestColumns(spec), spec.data()), Map.of());
        Interactions all = SingleProcess.interactions(frame.collectAsList());
        org.embedrec.data.AttributeTable items = SingleProcess.items(spec, itemsFrame.collectAsList());
        Recommender single = Recommender.build(t.model(), SingleProcess.prepare(spec, all, items).encoder(),
                new TrainingData(all, all, items, null), Map.of());

        assertThat(fromSpark.userIds()).isEqualTo(single.userIds()).hasSize(24);
        assertThat(fromSpark.catalogue().size()).isEqualTo(single.catalogue().size()).isEqualTo(19);
        for (String user : single.userIds()) {
            assertThat(fromSpark.recentItems(user)).as(user).isEqualTo(single.recentItems(user)).isNotEmpty();
            assertSameAnswers(fromSpark.recommend(Query.user(user).k(6).build()),
                    single.recommend(Query.user(user).k(6).build()));
        }
        // A user the model does not know is answered by popularity: the items' training counts.
        assertSameAnswers(fromSpark.recommend(Query.user("stranger").k(8).build()),
                single.recommend(Query.user("stranger").k(8).build()));
        assertThat(fromSpark.info().provenance().get("data_fingerprint").asText()).startsWith("sha256-sum:");
    }

    private static void assertSameAnswers(org.embedrec.recommend.Recommendations a,
                                          org.embedrec.recommend.Recommendations b) {
        assertThat(a.source()).isEqualTo(b.source());
        assertThat(a.items()).hasSameSizeAs(b.items());
        for (int i = 0; i < a.items().size(); i++) {
            assertThat(a.items().get(i).itemId()).isEqualTo(b.items().get(i).itemId());
            assertThat(a.items().get(i).score()).isEqualTo(b.items().get(i).score());
        }
    }

    @Test
    void topKMetricsComputedOnTheExecutorsEqualTheSingleProcessFactorizedTopK() {
        // Every fourth row held out; every held-out user and item also occurs in training, so
        // both catalogues are the training items in the same order.
        List<Row> train = new java.util.ArrayList<>();
        List<Row> test = new java.util.ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            (r % 4 == 3 ? test : train).add(rows.get(r));
        }
        EmbedrecRetrieval e = estimator().setBatchSize(32).setEpochs(6);
        Dataset<Row> trainFrame = PlantedInteractions.frame(spark, train, 2);
        EmbedrecRetrievalModel model = e.fit(trainFrame);
        EmbedrecRetrieval.Trained t = e.train(trainFrame);
        Map<String, Double> got = model.setTimestampCol("time").evaluate(PlantedInteractions.frame(spark, test, 2),
                1, 5, 10);

        List<Row> ordered = new java.util.ArrayList<>(trainFrame.collectAsList());
        ordered.addAll(test);
        Interactions all = SingleProcess.interactions(ordered);
        int[] trainRows = java.util.stream.IntStream.range(0, train.size()).toArray();
        int[] testRows = java.util.stream.IntStream.range(train.size(), ordered.size()).toArray();
        FeatureExperiment.Prepared prepared = SingleProcess.prepare(e.featureSpec(), all, trainRows, testRows, null);
        assertThat(prepared.catalogueIds()).isEqualTo(t.catalogue().catalogueIds());
        Map<String, Double> expected = t.model().metrics(prepared.test());

        assertThat(got.get("rows")).isEqualTo((double) test.size());
        assertThat(got.get("rows_item_not_in_catalogue")).isZero();
        for (String key : List.of("top_1_accuracy", "top_5_accuracy", "top_10_accuracy", "ndcg_at_1", "ndcg_at_5",
                "ndcg_at_10", "mrr")) {
            assertThat(got.get(key)).as(key).isCloseTo(expected.get(key), org.assertj.core.data.Offset.offset(1e-12));
        }
        // The model learned the planted kinds, so these are not the trivial values of a random ranking.
        assertThat(got.get("top_5_accuracy")).isGreaterThan(0.4).isLessThan(1.0);
        assertThatThrownBy(() -> model.evaluate(PlantedInteractions.frame(spark, test, 2), 0))
                .hasMessageContaining("K = 0");
    }

    @Test
    void badColumnsAndUntrainableSpecsAreRefusedByName() throws Exception {
        Dataset<Row> train = PlantedInteractions.frame(spark, rows, 2);
        assertThatThrownBy(() -> estimator().setUserCol("usr").fit(train))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userCol 'usr': no such column")
                .hasMessageContaining("[user, movie, time, title]");
        assertThatThrownBy(() -> estimator().setTimestampCol("title").fit(train))
                .hasMessageContaining("timestampCol 'title': timestamps must be numeric");
        assertThatThrownBy(() -> estimator().fit(train.drop("title")))
                .hasMessageContaining("feature 'title_id' column 'title': no such column in the data")
                .hasMessageContaining("no items frame");
        assertThatThrownBy(() -> estimator().setSpec(FeatureSpec.preset("mf").toJsonString()).fit(train))
                .hasMessageContaining("tasks.rating");
        com.fasterxml.jackson.databind.node.ObjectNode json = FeatureSpec.preset("two-tower").toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("tasks").get("retrieval")).put("loss", "bpr");
        String bpr = json.toString();
        assertThatThrownBy(() -> estimator().setSpec(bpr).fit(train))
                .hasMessageContaining("tasks.retrieval.loss 'bpr'");
        assertThatThrownBy(() -> estimator().setSpec("{").fit(train)).hasMessageContaining("spec: not readable JSON");
    }
}
