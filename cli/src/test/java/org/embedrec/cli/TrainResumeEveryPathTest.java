package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.embedrec.engine.Parallel;
import org.embedrec.io.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resume} on the paths beyond one plain phase: Wide &amp; Deep resumed inside its
 * pre-training (of the wide part, of the deep part), a sasrec run with early stopping resumed
 * after a validation, gru4rec with the sampled softmax. Each run ends, resumed on one thread or
 * two, with the report history, test metrics and saved model of the run that never stopped, bit
 * for bit. Checkpoints fall at epoch boundaries, so "resumed mid-run" is resumed at the boundary
 * of the last checkpoint. A directory keeps the checkpoint before its last one, which the tests
 * copy out to resume from an earlier point of the same run.
 */
class TrainResumeEveryPathTest extends CommandLineTestBase {
    private final int savedThreads = Parallel.threads();

    @TempDir
    Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    private static List<String> train(String... args) {
        List<String> full = new ArrayList<>(List.of("train", "--quiet"));
        full.addAll(List.of(args));
        return full;
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private void runOk(List<String> args) {
        err.getBuffer().setLength(0);
        out.reset();
        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
    }

    /** Trains {@code base} whole on one thread, checkpointing every {@code every} epochs; returns its report. */
    private JsonNode trainWhole(List<String> base, int every) throws IOException {
        runOk(with(base, "--threads", "1", "--checkpoint-dir", dir.resolve("checkpoints").toString(),
                "--checkpoint-every", Integer.toString(every), "--report", dir.resolve("whole.json").toString(),
                "--save", dir.resolve("whole").toString()));
        return new ObjectMapper().readTree(dir.resolve("whole.json").toFile());
    }

    /**
     * A checkpoint directory holding only the whole run's last checkpoint ({@code back} 0) or the
     * one before it ({@code back} 1), which must be {@code position} ("after epoch 2 of phase 'x'").
     */
    private Path checkpoint(int back, String position) throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        List<Path> versions;
        try (Stream<Path> list = Files.list(checkpoints)) {
            versions = list.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .sorted((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()),
                            Long.parseLong(b.getFileName().toString())))
                    .toList();
        }
        Path version = versions.get(versions.size() - 1 - back);
        Path copy = Files.createDirectories(dir.resolve("from-" + back).resolve("1"));
        try (Stream<Path> files = Files.list(version)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        JsonNode saved = new ObjectMapper().readTree(copy.resolve("checkpoint.json").toFile());
        String phase = saved.path("phase").asText();
        assertThat("after epoch " + saved.path("epochs_done").asInt() + (phase.equals("main") ? "" : " of phase '"
                + phase + "'")).isEqualTo(position);
        return copy.getParent();
    }

    /** Resumes {@code from} (a copy each time) with {@code base} on 1 and 2 threads: each run equals the whole one. */
    private void resumesToTheWholeRun(List<String> base, int every, Path from, String position) throws IOException {
        for (String threads : new String[] {"1", "2"}) {
            Path checkpoints = dir.resolve("resume-" + from.getFileName() + "-" + threads);
            copyTree(from, checkpoints);
            Path report = dir.resolve(checkpoints.getFileName() + ".json");
            Path model = dir.resolve(checkpoints.getFileName() + "-model");
            runOk(with(base, "--threads", threads, "--resume", checkpoints.toString(), "--checkpoint-every",
                    Integer.toString(every), "--report", report.toString(), "--save", model.toString()));
            assertSameRun(report, dir.resolve("whole.json"), threads + " thread(s), from " + position);
            TrainCheckpointTest.assertSameFiles(model, dir.resolve("whole"), threads);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Every epoch's loss and validation metrics and the test metrics, to the last bit. */
    private static void assertSameRun(Path resumed, Path whole, String how) throws IOException {
        JsonNode a = new ObjectMapper().readTree(resumed.toFile());
        JsonNode b = new ObjectMapper().readTree(whole.toFile());
        assertThat(a.path("history").size()).as("epochs, %s", how).isEqualTo(b.path("history").size());
        for (int e = 0; e < b.path("history").size(); e++) {
            JsonNode x = a.path("history").get(e);
            JsonNode y = b.path("history").get(e);
            assertThat(x.path("loss").doubleValue()).as("loss of epoch %d, %s", e + 1, how)
                    .isEqualTo(y.path("loss").doubleValue());
            assertThat(x.path("val")).as("validation of epoch %d, %s", e + 1, how).isEqualTo(y.path("val"));
        }
        assertThat(a.path("metrics")).as("test metrics, %s", how).isEqualTo(b.path("metrics"));
        assertThat(a.path("metrics").size()).isPositive();
    }

    /** Adds a u.user table (age, gender, occupation, zip), which Wide &amp; Deep's features read, for every rating user. */
    private static Path withUsers(Path movieLens) throws IOException {
        java.util.Set<String> users = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(movieLens.resolve("u.data"))) {
            users.add(line.substring(0, line.indexOf('\t')));
        }
        StringBuilder lines = new StringBuilder();
        int k = 0;
        for (String user : users) {
            lines.append(user).append('|').append(18 + k % 50).append('|').append(k % 2 == 0 ? "F" : "M").append('|')
                    .append(List.of("student", "engineer", "writer").get(k % 3)).append("|0").append(k % 10)
                    .append("000\n");
            k++;
        }
        Files.writeString(movieLens.resolve("u.user"), lines);
        return movieLens;
    }

    /**
     * Four pre-training epochs per part and a checkpoint every three: the last checkpoint is
     * after epoch 3 of the deep part's pre-training, the one before after epoch 3 of the wide
     * part's; both resume to the run that never stopped (the wide part's FTRL state and the deep
     * part's Adam state both survive each).
     */
    @Test
    void wideAndDeepResumesInsideItsPretraining() throws IOException {
        Path data = withUsers(TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1));
        List<String> base = train("--model", "wide-deep", "--data", data.toString(), "--pretrain-epochs", "4",
                "--epochs", "2", "--batch-size", "256", "--layers", "16,8", "--dropout", "0.2");
        trainWhole(base, 3);
        resumesToTheWholeRun(base, 3, checkpoint(0, "after epoch 3 of phase 'pretrain_deep'"),
                "after epoch 3 of phase 'pretrain_deep'");
        resumesToTheWholeRun(base, 3, checkpoint(1, "after epoch 3 of phase 'pretrain_wide'"),
                "after epoch 3 of phase 'pretrain_wide'");
    }

    /**
     * Early stopping: at this learning rate the validation NDCG@10 stops improving after a few
     * epochs and the run stops early, keeping its best epoch's weights. Resumed from the
     * checkpoint of the epoch before it stopped, the run stops at the same epoch and keeps the
     * same weights, because the best weights, value and count came back with the checkpoint.
     */
    @Test
    void aSasrecRunWithPatienceResumedAfterAValidationStopsAndKeepsAsTheWholeRun() throws IOException {
        Path data = TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1);
        List<String> base = train("--model", "sasrec", "--data", data.toString(), "--split", "leave-last-out",
                "--epochs", "12", "--patience", "1", "--validation-freq", "1", "--lr", "0.05", "--max-length", "20",
                "--embedding-dim", "16", "--heads", "2", "--layers", "1", "--batch-size", "32", "--loss", "bce");
        JsonNode whole = trainWhole(base, 1);
        int trained = whole.path("history").size();
        assertThat(trained).as("the run stops early").isLessThan(12).isGreaterThanOrEqualTo(2);
        String kept = out.toString().replaceAll("(?s).*weights of epoch (\\d+).*", "$1");
        assertThat(out.toString()).contains("weights of epoch ");
        resumesToTheWholeRun(base, 1, checkpoint(1, "after epoch " + (trained - 1)),
                "after epoch " + (trained - 1));
        assertThat(out.toString()).contains("weights of epoch " + kept + " ");
    }

    @Test
    void gru4recWithTheSampledSoftmaxResumesAtAnEpochBoundary() throws IOException {
        Path data = TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1);
        List<String> base = train("--model", "gru4rec", "--data", data.toString(), "--split", "leave-last-out",
                "--epochs", "3", "--validation-freq", "1", "--max-length", "20", "--embedding-dim", "16",
                "--batch-size", "32", "--loss", "sampled-softmax", "--sampled", "20", "--dropout", "0.2");
        trainWhole(base, 2);
        resumesToTheWholeRun(base, 2, checkpoint(0, "after epoch 2"), "after epoch 2");
    }

    /**
     * Adam at 1e37 with one batch an epoch: a step moves weights by about 1e37, still finite, so
     * the first checkpoints are written; a later forward pass overflows (sasrec's at epoch 2,
     * gru4rec's, whose gates saturate, a little later). The run stops naming epoch and batch,
     * keeps the checkpoint of the epoch before and saves no model.
     */
    @Test
    void aDivergingSequentialRunStopsWithItsEpochAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path data = TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1);
        for (String model : new String[] {"sasrec", "gru4rec"}) {
            Path checkpoints = dir.resolve("diverged-" + model);
            Path saved = dir.resolve("model-" + model);
            err.getBuffer().setLength(0);
            int code = run(train("--model", model, "--data", data.toString(), "--epochs", "5", "--lr", "1e37",
                    "--batch-size", "1000", "--validation-freq", "10", "--max-length", "20", "--embedding-dim", "16",
                    "--checkpoint-dir", checkpoints.toString(), "--save", saved.toString()).toArray(String[]::new));
            assertThat(code).as(err.toString()).isEqualTo(1);
            String message = err.toString();
            assertThat(message).as(model).matches("(?s)embedrec train: training diverged: (the loss is "
                    + "(NaN|Infinity|-Infinity) at epoch \\d+, batch 1 of 1|parameter '.*' holds NaN or infinite "
                    + "values after epoch \\d+) \\(try a lower learning rate or gradient clipping\\); .*diverged-"
                    + model + " keeps the last good checkpoint, after epoch \\d+\\s*");
            int diverged = Integer.parseInt(message.replaceAll("(?s).*at epoch (\\d+),.*|.*values after epoch (\\d+) .*",
                    "$1$2"));
            int kept = Integer.parseInt(message.replaceAll("(?s).*checkpoint, after epoch (\\d+)\\s*", "$1"));
            assertThat(kept).as("the epoch before the one that diverged, %s", model).isEqualTo(diverged - 1)
                    .isPositive();
            JsonNode checkpoint = new ObjectMapper().readTree(AtomicFiles.currentVersion(checkpoints)
                    .resolve("checkpoint.json").toFile());
            assertThat(checkpoint.path("epochs_done").asInt()).isEqualTo(kept);
            assertThat(saved).as("no model saved from a diverged run").doesNotExist();
        }
    }
}
