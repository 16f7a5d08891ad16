package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Absurd sizes and inputs get one line naming what is wrong, before anything is allocated or
 * trained: non-positive widths, layers, epochs and batch sizes; tables larger than the heap, with
 * their sizes, and sequential models whose weights and activations would not fit, with theirs;
 * ids beyond any integer range (which are names, and fine); a timestamp beyond the
 * long range; a line with no end in sight.
 */
class TrainLimitsTest extends CommandLineTestBase {
    @TempDir
    Path dir;

    private void expectError(String message, String... args) {
        err.getBuffer().setLength(0);
        List<String> full = new ArrayList<>(List.of("train", "--quiet"));
        full.addAll(List.of(args));
        assertThat(run(full.toArray(String[]::new))).as(String.join(" ", full)).isEqualTo(2);
        String text = err.toString();
        assertThat(text).as(String.join(" ", full)).startsWith("embedrec train: ").contains(message)
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(text.strip().lines().count()).as(text).isEqualTo(1);
    }

    @Test
    void nonPositiveSizesNameTheirOption() throws IOException {
        String data = TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1).toString();
        for (String model : new String[] {"mf", "two-tower"}) {
            expectError("--embedding-dim must be at least 1, got 0", "--model", model, "--data", data,
                    "--embedding-dim", "0");
            expectError("--embedding-dim must be at least 1, got -3", "--model", model, "--data", data,
                    "--embedding-dim", "-3");
            expectError("--epochs must be at least 1, got 0", "--model", model, "--data", data, "--epochs", "0");
            expectError("--epochs must be at least 1, got -1", "--model", model, "--data", data, "--epochs", "-1");
            expectError("--batch-size must be at least 1, got 0", "--model", model, "--data", data, "--batch-size", "0");
        }
        expectError("--layers[0] must be at least 1, got 0", "--model", "ncf-mlp", "--data", data, "--layers", "0");
        expectError("--layers[1] must be at least 1, got -2", "--model", "two-tower", "--data", data, "--layers",
                "8,-2");

        Path shop = dir.resolve("shop");
        SyntheticShop.write(shop, new SyntheticShop.Config(50, 20, 3, 3, 500, 0.9, 3));
        Path spec = Files.writeString(shop.resolve("shop.json"), TrainSpecTest.SPEC);
        String csv = shop.resolve("interactions.csv").toString();
        expectError("--epochs must be at least 1, got 0", "--spec", spec.toString(), "--data", csv, "--epochs", "0");
        expectError("--batch-size must be at least 1, got 0", "--spec", spec.toString(), "--data", csv,
                "--batch-size", "0");
    }

    @Test
    void tablesLargerThanTheHeapAreRefusedWithTheirSizesBeforeTraining() throws IOException {
        String data = TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1).toString();
        // 120 users and 90 items (each with an out-of-vocabulary row) at a width of 100 million,
        // and the 212 biases: over 250 GB with Adam's slots, on any test heap.
        expectError("the embedding tables hold 21,200,000,212 weights, 254.4 GB with adam's 2 slot(s) per weight",
                "--model", "mf", "--data", data, "--embedding-dim", "100000000");
        expectError("the largest is user_id (121 x 100,000,000). Lower the embedding width (--embedding-dim), "
                + "or give Java more heap (-Xmx)", "--model", "mf", "--data", data, "--embedding-dim", "100000000");
        expectError("with sgd's 0 slot(s) per weight", "--model", "ncf-mlp", "--optimizer", "sgd", "--data", data,
                "--embedding-dim", "100000000");
        expectError("the largest is timestamp_bucket (1,001 x 100,000,000)", "--model", "two-tower", "--data", data,
                "--embedding-dim", "100000000");
    }

    @Test
    void absurdSequentialSizesAreOneLineNamingTheirOption() throws IOException {
        String data = TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1).toString();
        for (String model : new String[] {"sasrec", "gru4rec"}) {
            expectError("--max-length must be at least 1, got 0", "--model", model, "--data", data, "--max-length", "0");
            expectError("--embedding-dim must be at least 1, got 0", "--model", model, "--data", data,
                    "--embedding-dim", "0");
            expectError("--layers must be at least 1, got 0", "--model", model, "--data", data, "--layers", "0");
            expectError("--batch-size must be at least 1, got -5", "--model", model, "--data", data, "--batch-size",
                    "-5");
            expectError("--epochs must be at least 1, got 0", "--model", model, "--data", data, "--epochs", "0");
            expectError("--sampled must be at least 1, got 0", "--model", model, "--data", data, "--sampled", "0");
            expectError("--patience must be 0 (no early stop) or more validations, got -1", "--model", model, "--data",
                    data, "--patience", "-1");
            expectError("--dropout must be in [0, 1), got 1.0", "--model", model, "--data", data, "--dropout", "1");
            expectError("--lr must be a positive number, got 0.0", "--model", model, "--data", data, "--lr", "0");
            expectError("--validation-freq must be at least 1 epoch, got 0", "--model", model, "--data", data,
                    "--validation-freq", "0");
        }
        expectError("--heads must be at least 1, got 0", "--model", "sasrec", "--data", data, "--heads", "0");
        expectError("--heads (3) must divide --embedding-dim (16)", "--model", "sasrec", "--data", data, "--heads", "3",
                "--embedding-dim", "16");
    }

    @Test
    void aSequentialModelPastTheHeapIsRefusedWithItsSizesBeforeTraining() throws IOException {
        String data = TrainCheckpointTest.smallMovieLens(dir.resolve("ml"), 1).toString();
        expectError("the largest is the layers' kernels, 2 x 6 x 100,000,000 x 100,000,000. Lower --batch-size, "
                + "--max-length or --embedding-dim, or use --loss sampled-softmax, or give Java more heap (-Xmx)",
                "--model", "sasrec", "--data", data, "--embedding-dim", "100000000");
        expectError("sasrec would need at least 60.1 GB: 60.0 GB of weights with Adam's slots and 0.1 GB of "
                + "activations a batch", "--model", "sasrec",
                "--data", data, "--max-length", "100000000");
        expectError("the largest is the position table, 100,000,000 x 50", "--model", "sasrec", "--data", data,
                "--max-length", "100000000");
        expectError("gru4rec would need at least ", "--model", "gru4rec", "--data", data, "--embedding-dim", "1000000");
    }

    @Test
    void idsBeyondTheIntegerRangesAreNamesAndKeptAsGiven() throws IOException {
        Path ml = Files.createDirectories(dir.resolve("big-ids"));
        StringBuilder lines = new StringBuilder();
        String[] users = {"99999999999", "18446744073709551616", "-7", "u4"};
        for (int u = 0; u < users.length; u++) {
            for (int i = 1; i <= 6; i++) {
                lines.append(users[u]).append('\t').append(i == 1 ? "340282366920938463463374607431768211457" : i)
                        .append('\t').append(1 + (u + i) % 5).append('\t').append(881_250_000L + i).append('\n');
            }
        }
        Files.writeString(ml.resolve("u.data"), lines);
        Path model = dir.resolve("model");
        err.getBuffer().setLength(0);
        assertThat(run("train", "--quiet", "--model", "mf", "--data", ml.toString(), "--epochs", "1", "--save",
                model.toString())).as(err.toString()).isZero();
        Recommender loaded = Recommender.load(model);
        assertThat(loaded.userIds()).containsExactlyInAnyOrder(users);
        assertThat(loaded.catalogue().itemIds()).contains("340282366920938463463374607431768211457");

        Files.writeString(ml.resolve("u.data"), lines + "u4\t2\t3\t99999999999999999999\n");
        expectError("u.data line 25: expected an integer number of seconds for the timestamp (field 4), got "
                + "'99999999999999999999'", "--model", "mf", "--data", ml.toString());
    }

    @Test
    void aLineWithoutEndIsRefusedWithFileAndLine() throws IOException {
        Path ml = Files.createDirectories(dir.resolve("runaway"));
        Files.writeString(ml.resolve("u.data"), "1\t1\t5\t881250949\n" + "9".repeat(3 << 20));
        expectError("u.data line 2: a line longer than 1,048,576 characters; is this the right file?", "--model", "mf",
                "--data", ml.toString());
    }
}
