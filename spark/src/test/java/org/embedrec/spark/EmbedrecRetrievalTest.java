package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureSpec;
import org.embedrec.nn.Parameter;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
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
    void oneGlobalBatchOverOneOrTwoPartitionsGivesTheSameParameters() {
        assertThat(rows.size()).isBetween(50, 1024);
        // One batch per epoch: every step's softmax spans both partitions' rows.
        // Adagrad at the preset's 0.1 on 100 rows amplifies float reordering step by step (one
        // step agrees within 3e-7); at 0.01 the runs stay within 1e-5 however the adds are ordered.
        EmbedrecRetrieval e = estimator().setBatchSize(1024).setEpochs(20).setLearningRate(0.01);
        Dataset<Row> one = PlantedInteractions.frame(spark, rows, 1);
        Dataset<Row> two = PlantedInteractions.frame(spark, rows, 2);
        assertThat(two.rdd().getNumPartitions()).isEqualTo(2);

        EmbedrecRetrieval.Trained a = e.train(one);
        EmbedrecRetrieval.Trained b = e.train(two);

        assertThat(a.result().steps()).isEqualTo(20);
        List<Double> losses = a.result().epochLosses();
        assertThat(losses.get(19)).isLessThan(losses.get(0) - 0.05);
        assertThat(largestDifference(a.model().parameters(), b.model().parameters())).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void fullBatchStepsOnTwoPartitionsEqualTheSingleProcessTrainer() {
        EmbedrecRetrieval.Trained s = estimator().setSpec(FeatureSpec.preset("two-tower-deep").toJsonString())
                .setBatchSize(1024).setEpochs(10).setLearningRate(0.01).train(PlantedInteractions.frame(spark, rows, 2));
        FeatureExperiment.Fitted local = FeatureExperiment.fit(s.prepared(), s.settings());
        double moved = largestDifference(s.model().parameters(),
                FeatureExperiment.fit(s.prepared(), s.settings().withEpochs(1)).model().parameters());
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
