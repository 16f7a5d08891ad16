package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --model two-tower --save} then {@code evaluate} on the saved model, and on a directory saved before. */
class EvaluateTwoTowerTest extends CommandLineTestBase {

    /** The printed line of a two-tower run: "two-tower on ... : test top_1 ... top_100 x.xxxx". */
    private String topKLine() {
        return out.toString().lines().filter(l -> l.startsWith("two-tower on ")).findFirst().orElseThrow()
                .replaceAll("\\s+\\|.*", "");
    }

    @Test
    void evaluateGivesTheTopKAccuraciesTrainPrintedForTheSameSplitAndSeed(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Path trainReport = dir.resolve("train.json");
        int code = run("train", "--model", "two-tower", "--epochs", "1", "--batch-size", "512", "--embedding-dim", "8",
                "--layers", "16,8", "--split", "random:0.7", "--seed", "7", "--quiet", "--report",
                trainReport.toString(), "--save", model.toString());
        assertThat(code).as(err.toString()).isZero();
        String trained = topKLine();

        out.reset();
        Path evalReport = dir.resolve("evaluate.json");
        code = run("evaluate", "--model-dir", model.toString(), "--split", "random:0.7", "--seed", "7",
                "--report", evalReport.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(topKLine()).isEqualTo(trained);

        JsonNode t = new ObjectMapper().readTree(trainReport.toFile());
        JsonNode e = new ObjectMapper().readTree(evalReport.toFile());
        assertThat(e.path("command").asText()).isEqualTo("evaluate");
        assertThat(e.path("model").asText()).isEqualTo("two-tower");
        assertThat(e.path("split")).isEqualTo(t.path("split"));
        for (int k : FactorizedTopK.DEFAULT_KS) {
            String key = FactorizedTopK.key(k);
            assertThat(e.path("metrics").path(key).isNumber()).as(key).isTrue();
            assertThat(e.path("metrics").path(key).asDouble()).as(key).isEqualTo(t.path("metrics").path(key).asDouble());
        }
        // One epoch learns something: far above the 100 / 1682 of a random ranking.
        assertThat(e.path("metrics").path("top_100_accuracy").asDouble()).isGreaterThan(0.1);
        assertThat(e.path("split").path("test").asLong()).isPositive();

        // Without --split and --seed, evaluate uses those the model was trained with.
        out.reset();
        assertThat(run("evaluate", "--model-dir", model.toString())).as(err.toString()).isZero();
        assertThat(topKLine()).isEqualTo(trained);
    }

    /** Lines of {@code u.data}: user, item, rating, timestamp. */
    private static void rating(StringBuilder lines, int user, int item, long timestamp) {
        lines.append(user).append('\t').append(item).append('\t').append(1 + (user + item) % 5).append('\t')
                .append(timestamp).append('\n');
    }

    @Test
    void testPairsOutsideTheModelAreCountedNotFatal(@TempDir Path dir) throws IOException {
        // 30 users x 12 items; timestamps grow with the item, so the earliest 80% leaves every user known.
        StringBuilder lines = new StringBuilder();
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 12; i++) {
                rating(lines, u, i, 881_250_000L + 100L * i + u);
            }
        }
        Path trainData = Files.createDirectories(dir.resolve("ml-train"));
        Files.writeString(trainData.resolve("u.data"), lines.toString());
        Path model = dir.resolve("model");
        // A directory of the format the two-tower preset saved before it trained through its spec: its
        // evaluation counts pairs outside the model (a feature model's refuses another catalogue).
        HandWrittenTwoTower.save(DataOptions.load(trainData.toString(), "fail", true), "temporal:0.8",
                TwoTowerConfig.defaults().withEpochs(1).withEmbeddingDim(4).withLayers(List.of(4)), model);

        // Later data: a user the model never saw (10 pairs) and an item outside its catalogue (5 pairs),
        // both after every earlier rating, so in the test part of a temporal split.
        for (int i = 1; i <= 10; i++) {
            rating(lines, 99, i, 881_260_000L + i);
        }
        for (int u = 1; u <= 5; u++) {
            rating(lines, u, 77, 881_270_000L + u);
        }
        Path laterData = Files.createDirectories(dir.resolve("ml-later"));
        Files.writeString(laterData.resolve("u.data"), lines.toString());
        Path report = dir.resolve("evaluate.json");
        out.reset();
        int code = run("evaluate", "--model-dir", model.toString(), "--data", laterData.toString(), "--split",
                "temporal:0.8", "--report", report.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        long test = r.path("split").path("test").asLong();
        assertThat(test).isEqualTo(375 - Math.round(0.8 * 375)); // 360 + 10 + 5 ratings
        assertThat(r.path("evaluated").path("unknown_item_pairs").asLong()).isEqualTo(5);
        assertThat(r.path("evaluated").path("unknown_user_pairs").asLong()).isEqualTo(10);
        assertThat(r.path("evaluated").path("pairs").asLong()).isEqualTo(test - 5);
        assertThat(r.path("evaluated").path("catalogue_items").asLong()).isEqualTo(12);
        // Every pair ranks its item among the 12: all are in the top 50.
        assertThat(r.path("metrics").path("top_50_accuracy").asDouble()).isEqualTo(1.0);
        assertThat(out.toString())
                .contains(String.format(Locale.ROOT, "%d test pairs against 12 items", test - 5))
                .contains("10 of them of users the model has no embedding for")
                .contains("5 more test pairs left out: their item is not in the model's catalogue");
    }
}
