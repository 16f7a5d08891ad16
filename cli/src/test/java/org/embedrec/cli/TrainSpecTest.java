package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.io.FeatureModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embedrec train --spec FILE --data FILE.csv} end to end on a generated shop. */
class TrainSpecTest extends CommandLineTestBase {
    static final String SPEC = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating",
                       "items": {"path": "items.csv", "id": "item_id"},
                       "users": {"path": "users.csv", "id": "user_id"}},
              "features": [
                {"name": "user", "column": "user_id", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "country", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 8},
                {"name": "item", "column": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 8},
                {"name": "category", "kind": "string", "tower": "candidate", "embedding_dim": 8},
                {"name": "price", "kind": "numeric", "tower": "candidate"}
              ],
              "towers": {"query": {"layers": [32, 16]}, "candidate": {"layers": [16]}},
              "tasks": {"retrieval": {"log_q": true}, "rating": {"weight": 0.5, "head": {"layers": [16]}}},
              "training": {"optimizer": "adagrad", "lr": 0.1, "batch_size": 256, "epochs": 2}
            }
            """;

    private static Path shop(Path dir) throws IOException {
        SyntheticShop.write(dir, new SyntheticShop.Config(200, 100, 5, 5, 5_000, 0.9, 3));
        return Files.writeString(dir.resolve("shop.json"), SPEC);
    }

    @Test
    void trainsTheSpecsModelOnACsvAndSavesIt(@TempDir Path dir) throws IOException {
        Path spec = shop(dir);
        Path report = dir.resolve("run.json");
        Path model = dir.resolve("model");
        int code = run("train", "--spec", spec.toString(), "--data", dir.resolve("interactions.csv").toString(),
                "--epochs", "1", "--quiet", "--report", report.toString(), "--save", model.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("MultiTaskModel from shop.json on interactions (random:0.8)").contains("rmse")
                .contains("top_10_accuracy");
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("history")).hasSize(1);
        assertThat(r.path("metrics").path("top_100_accuracy").asDouble(-1)).isBetween(0.0, 1.0);
        assertThat(r.path("metrics").path("rmse").asDouble(-1)).isPositive();
        assertThat(r.path("config").path("tasks").path("rating").path("weight").asDouble()).isEqualTo(0.5);
        FeatureModelFiles.Loaded loaded = FeatureModelFiles.load(model);
        assertThat(loaded.itemIds()).hasSize(100);
        assertThat(loaded.provenance().path("split").asText()).isEqualTo("random:0.8");
    }

    @Test
    void theRatingPresetSpecsTrainOnAnyCsvWithTheirColumns(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("user_id,item_id,rating,age,gender,occupation,genres\n");
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 12; i++) {
                int item = (u * 7 + i * 3) % 30;
                csv.append('u').append(u).append(",m").append(item).append(',').append(1 + (u + item) % 5).append(',')
                        .append(18 + u).append(',').append(u % 2 == 0 ? "F" : "M").append(",job").append(u % 4)
                        .append(",g").append(item % 3).append("|g").append(3 + item % 2).append('\n');
            }
        }
        Path data = Files.writeString(dir.resolve("ratings.csv"), csv.toString());
        for (String preset : new String[] {"mf", "wide-deep"}) {
            out.reset();
            int code = run("train", "--spec", preset, "--data", data.toString(), "--epochs", "1", "--quiet");
            assertThat(code).as(preset + ": " + err).isZero();
            assertThat(out.toString()).contains("RankingModel from " + preset + " on ratings").contains("rmse");
        }
    }

    @Test
    void aBrokenSpecIsOneMessageListingItsMistakes(@TempDir Path dir) throws IOException {
        shop(dir);
        Path spec = Files.writeString(dir.resolve("bad.json"), SPEC.replace("\"numeric\"", "\"number\"")
                .replace("\"lr\": 0.1", "\"lr\": -1"));
        int code = run("train", "--spec", spec.toString(), "--data", dir.resolve("interactions.csv").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("2 problems").contains("features[5] ('price').kind")
                .contains("training.lr").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aSpecColumnMissingFromTheDataIsNamed(@TempDir Path dir) throws IOException {
        shop(dir);
        Path spec = Files.writeString(dir.resolve("typo.json"), SPEC.replace("\"name\": \"device\"",
                "\"name\": \"devise\""));
        int code = run("train", "--spec", spec.toString(), "--data", dir.resolve("interactions.csv").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("features[2] ('devise').column: no column 'devise'")
                .doesNotContain("\tat ");
    }

    @Test
    void optionsTheSpecOwnsAreRefused(@TempDir Path dir) throws IOException {
        Path spec = shop(dir);
        String data = dir.resolve("interactions.csv").toString();
        assertThat(run("train", "--spec", spec.toString(), "--data", data, "--layers", "8")).isEqualTo(2);
        assertThat(err.toString()).contains("--layers does not apply with --spec");
        assertThat(run("train", "--spec", spec.toString(), "--data", data, "--temperature", "0.5")).isEqualTo(2);
        assertThat(err.toString()).contains("--temperature applies to --model two-tower only, not to --spec");
        assertThat(run("train", "--spec", spec.toString(), "--model", "mf", "--data", data)).isEqualTo(2);
        assertThat(err.toString()).contains("give --model or --spec, not both");
    }
}
