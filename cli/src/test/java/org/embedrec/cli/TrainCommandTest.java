package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureSpec;
import org.embedrec.io.FeatureModelFiles;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.models.rating.RatingExamples;
import org.embedrec.models.rating.RatingFeatures;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.models.rating.RatingTask;
import org.embedrec.models.rating.RatingTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, on the built-in synthetic data. */
class TrainCommandTest extends CommandLineTestBase {

    @Test
    void trainsReportsPlotsSavesAndEvaluates(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("run.json");
        Path plot = dir.resolve("curves.png");
        Path model = dir.resolve("model");
        int code = run("train", "--model", "mf", "--epochs", "3", "--quiet", "--report", report.toString(),
                "--plot", plot.toString(), "--save", model.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("model").asText()).isEqualTo("mf");
        assertThat(r.path("embedrec_version").asText()).isEqualTo(EmbedrecVersion.CURRENT);
        assertThat(r.path("dataset").path("name").asText()).isNotEmpty();
        assertThat(r.path("dataset").path("interactions").asLong()).isPositive();
        assertThat(r.path("split").path("spec").asText()).isEqualTo("random:0.8");
        assertThat(r.path("history")).hasSize(3);
        assertThat(r.path("history").get(2).path("val").path("rmse").isNumber()).isTrue();
        double rmse = r.path("metrics").path("rmse").asDouble();
        assertThat(rmse).isBetween(0.1, 1.5);
        assertThat(r.path("timing").path("examples_per_second").asDouble()).isPositive();
        assertThat(r.path("machine").path("cores").asInt()).isPositive();
        assertThat(r.path("config").path("epochs").asInt()).isEqualTo(3);
        assertThat(Files.readAllBytes(plot)).startsWith(0x89, 'P', 'N', 'G');
        // The save is version 1 of the directory.
        Path saved = model.resolve("1");
        assertThat(new ObjectMapper().readTree(saved.resolve("model.json").toFile()).path("embedrec_version").asText())
                .isEqualTo(EmbedrecVersion.CURRENT);
        assertThat(saved.resolve("weights.safetensors")).exists();
        assertThat(saved.resolve("manifest.json")).exists();

        out.reset();
        assertThat(run("evaluate", "--model-dir", model.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains(String.format(java.util.Locale.ROOT, "test rmse %.4f", rmse));
    }

    @Test
    void aRatingPresetTrainsItsSpecWithTheFlagsWrittenIntoIt(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("wide-deep");
        int code = run("train", "--model", "wide-deep", "--epochs", "1", "--embedding-dim", "8", "--layers", "16",
                "--dropout", "0.2", "--wide-lr", "0.1", "--quiet", "--save", model.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("wide-deep on synthetic\\S* \\(random:0\\.8\\): test rmse");
        FeatureSpec spec = FeatureModelFiles.load(model).encoder().spec();
        assertThat(spec.features()).extracting(FeatureDefinition::embeddingDim).containsOnly(8);
        assertThat(spec.features()).extracting(FeatureDefinition::name).contains("occupation", "genres");
        assertThat(spec.ratingHead().layers()).containsExactly(16);
        assertThat(spec.ratingHead().inputDropout()).isEqualTo(0.2);
        assertThat(spec.wide().learningRate()).isEqualTo(0.1);
        assertThat(spec.training().epochs()).isEqualTo(1);

        String trained = out.toString();
        String rmse = trained.substring(trained.indexOf("test rmse "), trained.indexOf("test rmse ") + 16);
        out.reset();
        assertThat(run("evaluate", "--model-dir", model.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("wide-deep on synthetic").contains(rmse);
    }

    @Test
    void aRatingModelSavedInTheHandWrittenFormatStillEvaluates(@TempDir Path dir) throws IOException {
        RatingsData data = DataOptions.load("synthetic", "fail");
        Split split = DataOptions.split(data, "random:0.8", 42L);
        RatingFeatures features = RatingFeatures.idsOnly(data);
        RatingModelConfig config = RatingModelConfig.defaults("mf").withEpochs(2);
        RatingModel net = RatingModels.create("mf", features.spec(), config, new Rng(42L));
        RatingExamples train = features.examples(split.train());
        RatingExamples test = features.examples(split.test());
        RatingTraining.fit(net, config, train, test);
        double rmse = RatingTask.regression(net, train.minRating(), train.maxRating()).evaluate(test).get("rmse");
        Path model = dir.resolve("mf");
        RatingModelFiles.save(model, "mf", config, features.spec(), data, net);

        assertThat(run("evaluate", "--model-dir", model.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("mf on synthetic")
                .contains(String.format(java.util.Locale.ROOT, "test rmse %.4f", rmse));
    }

    @Test
    void aConfigFileIsReadAndFlagsOverrideIt(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("experiment.json");
        Files.writeString(config, "{\"model\": \"mf\", \"epochs\": 5, \"batch_size\": 4096}");
        Path report = dir.resolve("run.json");
        int code = run("train", "--config", config.toString(), "--epochs", "2", "--quiet", "--report", report.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("config").path("epochs").asInt()).isEqualTo(2);
        assertThat(r.path("config").path("batchSize").asInt()).isEqualTo(4096);
    }

    @Test
    void userMistakesGetOneLineAndExitCodeTwo(@TempDir Path dir) throws IOException {
        assertThat(run("train", "--model", "svd++")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown model 'svd++'").doesNotContain("Exception").doesNotContain("\tat ");

        assertThat(run("train", "--model", "mf", "--data", dir.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file or directory");

        assertThat(run("train", "--model", "mf", "--split", "kfold:5")).isEqualTo(2);
        assertThat(err.toString()).contains("bad split spec 'kfold:5'");

        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"epoks\": 3}");
        assertThat(run("train", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key 'epoks'");

        assertThat(run("evaluate", "--model-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not a saved model");

        assertThat(run("train", "--model", "mf", "--epochs", "many")).isEqualTo(2);
    }

    @Test
    void badLinesFailWithFileAndLineUnlessSkipped(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("ml");
        Files.createDirectories(data);
        StringBuilder lines = new StringBuilder();
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 10; i++) {
                lines.append(u).append('\t').append(i).append('\t').append(1 + (u * i) % 5).append("\t88125").append(u).append('\n');
            }
        }
        lines.append("31\t2\n");
        Files.writeString(data.resolve("u.data"), lines.toString());

        assertThat(run("train", "--model", "mf", "--epochs", "1", "--data", data.toString(), "--quiet")).isEqualTo(2);
        assertThat(err.toString()).contains("u.data line 301");

        assertThat(run("train", "--model", "mf", "--epochs", "1", "--data", data.toString(), "--quiet",
                "--on-bad-line", "skip")).as(err.toString()).isZero();
    }
}
