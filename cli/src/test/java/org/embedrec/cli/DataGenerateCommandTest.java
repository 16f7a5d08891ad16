package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embedrec data generate}: a MovieLens CSV release that {@code train --data} reads. */
class DataGenerateCommandTest extends CommandLineTestBase {

    @Test
    void writesAReleaseThatTrainReadsAndRefusesToWriteOverOne(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("gen");
        int code = run("data", "generate", "--users", "120", "--items", "300", "--interactions", "6000", "--seed", "5",
                "--out", out.toString(), "--quiet");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isNotEmpty();
        List<String> ratings = Files.readAllLines(out.resolve("ratings.csv"));
        assertThat(ratings.get(0)).isEqualTo("userId,movieId,rating,timestamp");
        assertThat(ratings).hasSize(6001);
        assertThat(ratings.get(1)).matches("1,\\d+,[1-5]\\.0,\\d+");
        assertThat(Files.readAllLines(out.resolve("movies.csv"))).hasSize(301);

        int train = run("train", "--model", "two-tower", "--layers", "8", "--epochs", "1", "--data", out.toString(),
                "--quiet");
        assertThat(train).as(err.toString()).isZero();

        assertThat(run("data", "generate", "--users", "10", "--items", "10", "--interactions", "20", "--out",
                out.toString(), "--quiet")).isEqualTo(2);
        assertThat(err.toString()).contains("exists and is not an empty directory");
        assertThat(run("data", "generate", "--users", "10", "--items", "10", "--interactions", "101", "--out",
                dir.resolve("other").toString(), "--quiet")).isEqualTo(2);
        assertThat(err.toString()).contains("--users/--items/--interactions: interactions must be between");
    }
}
