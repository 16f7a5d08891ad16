package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.engine.Parallel;
import org.embedrec.io.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --checkpoint-dir} and {@code --resume} end to end: a run that continues from the
 * checkpoint after epoch 2 of 3 ends with the same saved model, bit for bit, and the same losses,
 * validation metrics and test metrics as the run that wrote the checkpoint and went on, whether it
 * resumes on one thread or two; for a rating model, one with dropout, the two-tower model with
 * sampled negatives, and a spec-trained model. A checkpoint of another run is refused by name.
 */
class TrainCheckpointTest extends CommandLineTestBase {
    private final int savedThreads = Parallel.threads();

    @TempDir
    Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /**
     * A MovieLens 100K directory of planted data small enough for seconds of training: 120
     * users, 90 items, u.data and u.item (titles and release dates, no genres).
     */
    static Path smallMovieLens(Path target, long seed) throws IOException {
        RatingsData data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(120, 90, 25)
                .withSeed(seed)).data();
        Interactions all = data.interactions();
        StringBuilder ratings = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            ratings.append(all.users().rawId(all.user(r))).append('\t').append(all.items().rawId(all.item(r)))
                    .append('\t').append(Math.round(all.rating(r))).append('\t').append(all.timestamp(r)).append('\n');
        }
        Items items = data.items().orElseThrow();
        StringBuilder itemLines = new StringBuilder();
        for (int i = 0; i < all.numItems(); i++) {
            itemLines.append(all.items().rawId(i)).append('|').append(items.title(i).replace('|', ' '))
                    .append("|01-Jan-1995||http://example.org/").append("|0".repeat(19)).append('\n');
        }
        Files.createDirectories(target);
        Files.writeString(target.resolve("u.data"), ratings);
        Files.writeString(target.resolve("u.item"), itemLines);
        return target;
    }

    private List<String> train(String... args) {
        List<String> full = new ArrayList<>(List.of("train", "--quiet"));
        full.addAll(List.of(args));
        return full;
    }

    private void runOk(List<String> args) {
        err.getBuffer().setLength(0);
        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    /**
     * Trains {@code base} for 3 epochs with a checkpoint after epoch 2, then resumes that
     * checkpoint on 1 and on 2 threads; each resumed run must equal the first.
     */
    private void resumesBitForBit(List<String> base) throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        runOk(with(base, "--threads", "1", "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every", "2",
                "--report", dir.resolve("whole.json").toString(), "--save", dir.resolve("whole").toString()));
        JsonNode saved = new ObjectMapper().readTree(AtomicFiles.currentVersion(checkpoints)
                .resolve("checkpoint.json").toFile());
        assertThat(saved.path("epochs_done").asInt()).as("the checkpoint is after epoch 2 of 3").isEqualTo(2);

        for (String threads : new String[] {"1", "2"}) {
            Path report = dir.resolve("resumed-" + threads + ".json");
            Path model = dir.resolve("resumed-" + threads);
            out.reset();
            runOk(with(base, "--threads", threads, "--resume", checkpoints.toString(), "--checkpoint-every", "2",
                    "--report", report.toString(), "--save", model.toString()));
            assertSameRun(report, dir.resolve("whole.json"), threads);
            assertSameFiles(model, dir.resolve("whole"), threads);
        }
    }

    /** The same losses and validation metrics per epoch and the same final metrics, to the last bit. */
    private static void assertSameRun(Path resumed, Path whole, String threads) throws IOException {
        JsonNode a = new ObjectMapper().readTree(resumed.toFile());
        JsonNode b = new ObjectMapper().readTree(whole.toFile());
        assertThat(a.path("history")).hasSize(3);
        for (int e = 0; e < 3; e++) {
            JsonNode x = a.path("history").get(e);
            JsonNode y = b.path("history").get(e);
            assertThat(x.path("loss").doubleValue()).as("loss of epoch %d, %s thread(s)", e + 1, threads)
                    .isEqualTo(y.path("loss").doubleValue());
            assertThat(x.path("val")).as("validation of epoch %d, %s thread(s)", e + 1, threads).isEqualTo(y.path("val"));
        }
        assertThat(a.path("metrics")).as("final metrics, %s thread(s)", threads).isEqualTo(b.path("metrics"));
        assertThat(a.path("metrics").size()).isPositive();
    }

    /** Every saved file byte for byte: the weights, and the description with its provenance. */
    static void assertSameFiles(Path resumed, Path whole, String threads) throws IOException {
        Path a = AtomicFiles.currentVersion(resumed);
        Path b = AtomicFiles.currentVersion(whole);
        try (var files = Files.list(b)) {
            for (Path f : files.toList()) {
                assertThat(Files.readAllBytes(a.resolve(f.getFileName()))).as("%s, %s thread(s)", f.getFileName(), threads)
                        .isEqualTo(Files.readAllBytes(f));
            }
        }
    }

    @Test
    void matrixFactorizationResumesBitForBit() throws IOException {
        Path data = smallMovieLens(dir.resolve("ml"), 1);
        resumesBitForBit(train("--model", "mf", "--data", data.toString(), "--epochs", "3", "--batch-size", "256"));
    }

    @Test
    void anMlpWithDropoutResumesBitForBit() throws IOException {
        Path data = smallMovieLens(dir.resolve("ml"), 1);
        resumesBitForBit(train("--model", "ncf-mlp", "--data", data.toString(), "--epochs", "3", "--batch-size", "256",
                "--dropout", "0.3", "--layers", "16,8"));
    }

    @Test
    void theTwoTowerModelWithSampledNegativesResumesBitForBit() throws IOException {
        Path data = smallMovieLens(dir.resolve("ml"), 1);
        resumesBitForBit(train("--model", "two-tower", "--data", data.toString(), "--epochs", "3", "--batch-size",
                "128", "--embedding-dim", "8", "--layers", "8", "--negatives", "5", "--validation-freq", "1"));
    }

    @Test
    void aSpecModelResumesBitForBit() throws IOException {
        Path shop = dir.resolve("shop");
        SyntheticShop.write(shop, new SyntheticShop.Config(200, 100, 5, 5, 5_000, 0.9, 3));
        Path spec = Files.writeString(shop.resolve("shop.json"), TrainSpecTest.SPEC);
        resumesBitForBit(train("--spec", spec.toString(), "--data", shop.resolve("interactions.csv").toString(),
                "--epochs", "3"));
    }

    @Test
    void aCheckpointOfAnotherRunIsRefusedNamingTheDifference() throws IOException {
        Path data = smallMovieLens(dir.resolve("ml"), 1);
        // The same rows but one rating: only the fingerprint tells the two apart.
        Path other = smallMovieLens(dir.resolve("ml-other"), 1);
        String ratings = Files.readString(other.resolve("u.data"));
        String first = ratings.substring(0, ratings.indexOf('\n'));
        String[] fields = first.split("\t");
        fields[2] = fields[2].equals("5") ? "4" : "5";
        Files.writeString(other.resolve("u.data"), String.join("\t", fields) + ratings.substring(first.length()));
        Path checkpoints = dir.resolve("checkpoints");
        List<String> base = train("--model", "mf", "--data", data.toString(), "--epochs", "2", "--batch-size", "256");
        runOk(with(base, "--checkpoint-dir", checkpoints.toString()));

        expectError(with(base, "--lr", "0.5", "--resume", checkpoints.toString()),
                "the checkpoint belongs to another run: config.spec.training.lr is ");
        expectError(train("--model", "ncf-mlp", "--data", data.toString(), "--epochs", "2", "--batch-size", "256",
                "--resume", checkpoints.toString()), "model is 'mf' in the checkpoint, 'ncf-mlp' in this command");
        expectError(train("--model", "mf", "--data", other.toString(), "--epochs", "2", "--batch-size", "256",
                "--resume", checkpoints.toString()), "data.fingerprint is '");
        expectError(with(base, "--split", "random:0.7", "--resume", checkpoints.toString()), "split is 'random:0.8'");
        // Starting afresh over a checkpoint would lose it.
        expectError(with(base, "--checkpoint-dir", checkpoints.toString()),
                "already holds a checkpoint; continue it with --resume");
        // The thread count is no part of a run: the same model comes out on any.
        runOk(with(base, "--threads", "2", "--resume", checkpoints.toString()));
    }

    @Test
    void badCheckpointOptionsAreOneLine() throws IOException {
        List<String> base = train("--model", "mf", "--epochs", "1");
        expectError(with(base, "--checkpoint-every", "2"), "--checkpoint-every needs --checkpoint-dir DIR");
        expectError(with(base, "--checkpoint-dir", dir.resolve("c").toString(), "--checkpoint-every", "0"),
                "--checkpoint-every must be at least 1 epoch, got 0");
        expectError(with(base, "--resume", dir.resolve("nothing").toString()), "nothing: no such directory");
        Files.createDirectories(dir.resolve("empty"));
        expectError(with(base, "--resume", dir.resolve("empty").toString()), "holds no checkpoint");
        Path file = Files.writeString(dir.resolve("file"), "x");
        expectError(with(base, "--checkpoint-dir", file.toString()), "exists and is not a directory");
    }

    @Test
    void aDivergingRunStopsWithEpochBatchAndLossAndKeepsItsLastGoodCheckpoint() throws IOException {
        Path data = smallMovieLens(dir.resolve("ml"), 1);
        Path checkpoints = dir.resolve("checkpoints");
        Path model = dir.resolve("model");
        err.getBuffer().setLength(0);
        int code = run(train("--model", "mf", "--data", data.toString(), "--epochs", "50", "--optimizer", "sgd",
                "--lr", DIVERGING_LR, "--batch-size", "100000", "--checkpoint-dir", checkpoints.toString(), "--save",
                model.toString()).toArray(String[]::new));

        assertThat(code).isEqualTo(1);
        String message = err.toString();
        assertThat(message).matches("(?s)embedrec train: training diverged: the loss is (NaN|Infinity) at epoch \\d+, "
                + "batch 1 of 1 \\(try a lower learning rate or gradient clipping\\); .*checkpoints keeps the last good "
                + "checkpoint, after epoch \\d+\\s*");
        int diverged = Integer.parseInt(message.replaceAll("(?s).*at epoch (\\d+),.*", "$1"));
        int kept = Integer.parseInt(message.replaceAll("(?s).*after epoch (\\d+)\\s*", "$1"));
        assertThat(kept).isEqualTo(diverged - 1).isGreaterThan(1);
        JsonNode checkpoint = new ObjectMapper().readTree(AtomicFiles.currentVersion(checkpoints)
                .resolve("checkpoint.json").toFile());
        assertThat(checkpoint.path("epochs_done").asInt()).isEqualTo(kept);
        assertThat(model).as("no model saved from a diverged run").doesNotExist();
    }

    /** Plain SGD at this rate on one full batch per epoch: the loss overflows at epoch 7 of this data. */
    private static final String DIVERGING_LR = "100";

    private void expectError(List<String> args, String message) {
        err.getBuffer().setLength(0);
        assertThat(run(args.toArray(String[]::new))).as(String.join(" ", args)).isEqualTo(2);
        String text = err.toString();
        assertThat(text).as(String.join(" ", args)).startsWith("embedrec train: ").contains(message);
        assertThat(text.strip().lines().count()).as(text).isEqualTo(1);
    }
}
