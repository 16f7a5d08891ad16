package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embedrec train --model two-tower} end to end on the built-in synthetic data. */
class TrainTwoTowerTest extends CommandLineTestBase {
    private static final String[] TOP_K = {"top_1_accuracy", "top_5_accuracy", "top_10_accuracy", "top_50_accuracy",
            "top_100_accuracy"};

    @Test
    void trainsAndReportsTopKAccuraciesInTheReportAndEachValidatedEpoch(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("experiment.json");
        Files.writeString(config, "{\"model\": \"two-tower\", \"layers\": [16, 8], \"log_q\": true, \"epochs\": 9}");
        Path report = dir.resolve("run.json");
        Path plot = dir.resolve("curves.png");
        int code = run("train", "--config", config.toString(), "--epochs", "3", "--batch-size", "256",
                "--validation-freq", "2", "--negatives", "16", "--quiet", "--report", report.toString(),
                "--plot", plot.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("two-tower on synthetic").contains("top_100 ");
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("model").asText()).isEqualTo("two-tower");
        assertThat(r.path("split").path("spec").asText()).isEqualTo("random:0.8");
        for (String key : TOP_K) {
            assertThat(r.path("metrics").path(key).asDouble(-1)).as(key).isBetween(0.0, 1.0);
        }
        // The top-K of the final metrics are the last epoch's validation.
        assertThat(r.path("metrics").path("top_10_accuracy").asDouble())
                .isEqualTo(r.path("history").get(2).path("val").path("top_10_accuracy").asDouble());
        JsonNode history = r.path("history");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).has("val")).isFalse();
        for (int epoch : new int[] {1, 2}) {
            for (String key : TOP_K) {
                assertThat(history.get(epoch).path("val").path(key).isNumber()).as("epoch %d %s", epoch + 1, key).isTrue();
            }
        }
        JsonNode cfg = r.path("config");
        assertThat(cfg.path("layers").toString()).isEqualTo("[16,8]");
        assertThat(cfg.path("logQCorrection").asBoolean()).isTrue();
        assertThat(cfg.path("sampledNegatives").asInt()).isEqualTo(16);
        assertThat(cfg.path("epochs").asInt()).isEqualTo(3);
        assertThat(cfg.path("optimizer").asText()).isEqualTo("adagrad");
        assertThat(r.path("timing").path("evaluation_seconds").asDouble()).isPositive();
        assertThat(Files.readAllBytes(plot)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void evalSampleEvaluatesOnASeededSampleOfTestUsersLabelledSampled(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("run.json");
        Path config = Files.writeString(dir.resolve("c.json"), "{\"eval_sample\": 40}");
        int code = run("train", "--model", "two-tower", "--layers", "8", "--epochs", "1", "--config", config.toString(),
                "--quiet", "--report", report.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("test \\(sampled: 40 of \\d+ test users, \\d+ pairs\\)");
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("evaluation").path("kind").asText()).isEqualTo("sampled");
        assertThat(r.path("evaluation").path("test_users").asInt()).isEqualTo(40);
        assertThat(r.path("evaluation").path("of_test_users").asInt()).isGreaterThan(40);
        assertThat(r.path("split").path("test").asInt()).isLessThan(20_000 / 5);
        assertThat(run("train", "--model", "two-tower", "--eval-sample", "0", "--quiet")).isEqualTo(2);
        assertThat(err.toString()).contains("--eval-sample 0: expected a number of test users >= 1");
    }

    @Test
    void savesAFeatureModelThatRecommendAndTheRecommenderAnswerFrom(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("tt");
        assertThat(run("train", "--model", "two-tower", "--epochs", "1", "--batch-size", "512", "--embedding-dim", "8",
                "--layers", "16,8", "--negatives", "20", "--quiet", "--save", model.toString())).as(err.toString())
                .isZero();
        Recommender recommender = Recommender.load(model);
        assertThat(recommender.info().provenance().path("preset").asText()).isEqualTo("two-tower");
        List<RecommendedItem> expected = recommender.recommend(Query.user("7").k(5).excludeSeen(true).build()).items();
        assertThat(expected).hasSize(5).noneMatch(RecommendedItem::seen);

        out.reset();
        assertThat(run("recommend", "--model-dir", model.toString(), "--user", "7", "--k", "5", "--exclude-seen"))
                .as(err.toString()).isZero();
        List<String> listed = out.toString().lines().map(String::trim).filter(l -> l.matches("\\d+\\s+-?\\d.*"))
                .map(l -> l.split("\\s+")[2]).toList();
        assertThat(listed).containsExactlyElementsOf(expected.stream().map(RecommendedItem::itemId).toList());
    }

    @Test
    void optionsOfTheOtherKindOfModelAreRefusedWithOneLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("m"), "not a directory");
        assertThat(run("train", "--model", "two-tower", "--save", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--save " + file + ": exists and is not a directory");

        assertThat(run("train", "--model", "two-tower", "--l2", "0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("--l2 applies to --model mf, dot-mlp or ncf-mlp, not to two-tower");

        assertThat(run("train", "--model", "mf", "--temperature", "0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("--temperature applies to --model two-tower only, not to mf");

        assertThat(run("train", "--model", "two-tower", "--layers", "")).isEqualTo(2);
        assertThat(err.toString()).contains("at least one dense layer size");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
