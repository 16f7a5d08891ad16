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
    }

    @Test
    void popNeedsNoTraining() {
        assertThat(run("train", "--model", "pop", "--quiet")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pop on").contains("leave-last-out");
    }

    @Test
    void anotherSplitAMisplacedOptionAndSaveAreRefusedByName() {
        assertThat(run("train", "--model", "gru4rec", "--split", "random:0.8")).isNotZero();
        assertThat(err.toString()).contains("--split random:0.8").contains("leave-last-out only");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "gru4rec", "--heads", "2")).isNotZero();
        assertThat(err.toString()).contains("--heads applies to --model sasrec only");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "sasrec", "--loss", "hinge", "--epochs", "1")).isNotZero();
        assertThat(err.toString()).contains("unknown loss 'hinge'");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "sasrec", "--save", "somewhere")).isNotZero();
        assertThat(err.toString()).contains("--save does not apply to --model sasrec");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--model", "gru4rec", "--checkpoint-dir", "somewhere")).isNotZero();
        assertThat(err.toString()).contains("the sequential model 'gru4rec' writes no checkpoints yet");
    }
}
