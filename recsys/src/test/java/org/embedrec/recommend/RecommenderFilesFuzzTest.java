package org.embedrec.recommend;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.embedrec.io.ModelFileException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec model's directory whose {@code serving.json} is any bytes, beside the other files of
 * the frozen test model, either loads as a {@link Recommender} or fails with a
 * {@link ModelFileException}. The seed {@code valid.json} is the frozen model's own; the files sit
 * flat (no manifest), so that the reader itself meets every input.
 */
class RecommenderFilesFuzzTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void copyTheFrozenModel() throws Exception {
        Path version = Path.of(FrozenArtifactTest.RESOURCE, "1");
        for (String f : new String[] {"model.json", "weights.safetensors", "serving.safetensors"}) {
            Files.copy(version.resolve(f), dir.resolve(f));
        }
    }

    @FuzzTest(maxDuration = "2m")
    void servingJson(byte[] input) throws Exception {
        Files.write(dir.resolve(RecommenderFiles.SERVING_JSON), input);
        loadsOrFailsWith(() -> Recommender.load(dir), ModelFileException.class);
    }
}
