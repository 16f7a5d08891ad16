package org.embedrec.recommend;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.engine.Rng;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.ModelFileException;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.models.rating.RatingFeatures;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.models.retrieval.TrainedTwoTower;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved rating preset, two-tower preset or next-item model whose {@code model.json} is any
 * bytes, beside the valid weights of a small model of its kind, either loads as a
 * {@link Recommender} or fails with a {@link ModelFileException}. The files sit flat (no
 * manifest), so that the readers themselves meet every input; the seeds {@code valid.json} are
 * what the saves wrote (for the next-item model, the frozen sasrec's).
 */
class PresetModelFilesFuzzTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void saveTheModels() throws IOException {
        saveRatingModel(Files.createDirectories(dir.resolve("rating")));
        saveTwoTowerModel(Files.createDirectories(dir.resolve("two-tower")));
        flatten(Path.of(FrozenSequentialArtifactTest.RESOURCE), Files.createDirectories(dir.resolve("sequential")));
    }

    @FuzzTest(maxDuration = "2m")
    void ratingModelJson(byte[] input) throws Exception {
        Files.write(dir.resolve("rating").resolve("model.json"), input);
        loadsOrFailsWith(() -> Recommender.load(dir.resolve("rating")), ModelFileException.class);
    }

    @FuzzTest(maxDuration = "2m")
    void twoTowerModelJson(byte[] input) throws Exception {
        Files.write(dir.resolve("two-tower").resolve("model.json"), input);
        loadsOrFailsWith(() -> Recommender.load(dir.resolve("two-tower")), ModelFileException.class);
    }

    @FuzzTest(maxDuration = "2m")
    void sequentialModelJson(byte[] input) throws Exception {
        Files.write(dir.resolve("sequential").resolve("model.json"), input);
        loadsOrFailsWith(() -> Recommender.load(dir.resolve("sequential")), ModelFileException.class);
    }

    /** A matrix factorisation of three users and three items, its files flat in {@code target}. */
    static void saveRatingModel(Path target) throws IOException {
        Interactions.Builder rows = Interactions.builder();
        rows.add(0, 0, 4f, 1L);
        rows.add(1, 2, 2f, 2L);
        rows.add(2, 1, 5f, 3L);
        RatingsData data = RatingsData.of("tiny", rows.build(IdMapping.of(List.of("a", "b", "c")),
                IdMapping.of(List.of("x", "y", "z"))));
        RatingFeatures features = RatingFeatures.idsOnly(data);
        RatingModelConfig config = RatingModelConfig.defaults("mf").withEmbeddingDim(2);
        Path versioned = Files.createTempDirectory("rating");
        RatingModelFiles.save(versioned, "mf", config, features.spec(), data,
                RatingModels.create("mf", features.spec(), config, new Rng(1)));
        flatten(versioned, target);
    }

    /** The two-tower fixture of the recommending tests, its files flat in {@code target}. */
    static void saveTwoTowerModel(Path target) throws IOException {
        TrainedTwoTower trained = TrainedTwoTower.train(3);
        Path versioned = Files.createTempDirectory("two-tower");
        TwoTowerModelFiles.save(versioned, trained.recommender(), trained.data().name(), "random:0.8");
        flatten(versioned, target);
    }

    private static void flatten(Path versioned, Path target) throws IOException {
        Path version = AtomicFiles.currentVersion(versioned);
        for (String f : new String[] {"model.json", "weights.safetensors"}) {
            Files.copy(version.resolve(f), target.resolve(f));
        }
    }
}
