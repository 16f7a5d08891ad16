package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --model sasrec|gru4rec|pop} end to end on the synthetic data, and the options they refuse. */
class TrainSequentialTest extends CommandLineTestBase {

    @Test
    void sasrecTrainsUnderLeaveLastOutAndReportsTheFullRankingMetrics(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("run.json");
        int code = run("train", "--model", "sasrec", "--split", "leave-last-out", "--epochs", "2", "--max-length", "20",
                "--embedding-dim", "16", "--heads", "2", "--layers", "1", "--quiet", "--report", report.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("sasrec on").contains("full ranking").contains("hr@10")
                .contains("sampled (100 negatives)");
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("split").path("spec").asText()).isEqualTo("leave-last-out");
        assertThat(r.path("history")).hasSize(2);
        assertThat(r.path("metrics").path("hr@10").asDouble()).isBetween(0.0, 1.0);
        assertThat(r.path("metrics").has("sampled_ndcg@10")).isTrue();
        assertThat(r.path("config").path("maxLength").asInt()).isEqualTo(20);
        assertThat(r.path("config").path("init").asText()).as("sasrec's default start").isEqualTo("XAVIER_NORMAL");
    }

    /** The line train and evaluate print with the test metrics, from "test" on (without timings). */
    private static String metrics(String printed, String model) {
        String line = printed.lines().filter(l -> l.startsWith(model + " on")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile(": test .*sampled \\(100 negatives\\) hr@10 [0-9.]+ ndcg@10 [0-9.]+").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group();
    }

    @Test
    void aSavedSasrecRecommendsFromAHistoryAndEvaluatesToTheMetricsTrainPrinted(@TempDir Path dir) {
        Path model = dir.resolve("sasrec");
        int code = run("train", "--model", "sasrec", "--split", "leave-last-out", "--epochs", "2", "--max-length", "20",
                "--embedding-dim", "16", "--heads", "2", "--layers", "1", "--quiet", "--save", model.toString());
        assertThat(code).as(err.toString()).isZero();
        String trained = metrics(out.toString(), "sasrec");
        assertThat(out.toString()).contains("saved to " + model);

        out.reset();
        assertThat(run("evaluate", "--model-dir", model.toString(), "--data", "synthetic")).as(err.toString()).isZero();
        assertThat(metrics(out.toString(), "sasrec")).isEqualTo(trained);

        out.reset();
        assertThat(run("recommend", "--model-dir", model.toString(), "--user", "1", "--k", "3")).as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("top 3 for user 1");

        out.reset();
        assertThat(run("recommend", "--model-dir", model.toString(), "--history", "1,no-such-item,2", "--k", "4",
                "--exclude-seen")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("top 4 after the 2 items of --history")
                .contains("skipped 1 --history items the model does not know: no-such-item");

        out.reset();
        assertThat(run("recommend", "--model-dir", model.toString(), "--history", "no-such-item")).isZero();
        assertThat(out.toString()).contains("by popularity").contains("no item of --history it knows");
    }

    @Test
    void aSavedPopEvaluatesToTheMetricsTrainPrintedAndAHistoryToAnotherModelIsRefused(@TempDir Path dir) {
        Path model = dir.resolve("pop");
        assertThat(run("train", "--model", "pop", "--quiet", "--save", model.toString())).as(err.toString()).isZero();
        String trained = metrics(out.toString(), "pop");
        out.reset();
        assertThat(run("evaluate", "--model-dir", model.toString())).as(err.toString()).isZero();
        assertThat(metrics(out.toString(), "pop")).isEqualTo(trained);

        Path rating = dir.resolve("mf");
        assertThat(run("train", "--model", "mf", "--epochs", "1", "--quiet", "--save", rating.toString()))
                .as(err.toString()).isZero();
        assertThat(run("recommend", "--model-dir", rating.toString(), "--user", "1", "--history", "1,2")).isNotZero();
        assertThat(err.toString()).contains("history: ").contains("reads no history");
    }

    @Test
    void popNeedsNoTraining() {
        assertThat(run("train", "--model", "pop", "--quiet")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pop on").contains("leave-last-out");
    }

    @Test
    void anotherSplitAMisplacedOptionAndCheckpointsOfPopAreRefusedByName() {
        assertThat(run("train", "--model", "gru4rec", "--split", "random:0.8")).isNotZero();
        assertThat(err.toString()).contains("--split random:0.8").contains("leave-last-out only");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "gru4rec", "--heads", "2")).isNotZero();
        assertThat(err.toString()).contains("--heads applies to --model sasrec only");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "sasrec", "--loss", "hinge", "--epochs", "1")).isNotZero();
        assertThat(err.toString()).contains("unknown loss 'hinge'");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "gru4rec", "--init", "xavier-normal")).isNotZero();
        assertThat(err.toString()).contains("--init applies to --model sasrec only");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "sasrec", "--init", "he", "--epochs", "1")).isNotZero();
        assertThat(err.toString()).contains("unknown --init 'he': expected reference-tf or xavier-normal");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "pop", "--checkpoint-dir", "somewhere")).isNotZero();
        assertThat(err.toString()).contains("--model pop counts the training items in one pass and has no epochs to "
                + "checkpoint");
    }
}
