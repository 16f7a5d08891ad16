package org.embedrec.io;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Flatten;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.losses.MeanSquaredError;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.SupervisedTask;
import org.embedrec.nn.train.TensorDataset;
import org.embedrec.nn.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint whose {@code checkpoint.json} or {@code state.safetensors} is any bytes, beside
 * the other file of a valid checkpoint of a small run, goes the way {@code train --resume} takes
 * it: read, checked to belong to the run, restored into the run's model, optimizer and example
 * order. It either resumes or fails with an IllegalArgumentException (a {@link ModelFileException}
 * for a damaged file, the first difference for another run, the entry and shape for a state of
 * another model). The files sit flat (no manifest), so that the reader itself meets every input;
 * the seeds {@code valid.json} and {@code valid.safetensors} are what the run's checkpoint after
 * its first epoch holds.
 */
class CheckpointFilesFuzzTest {
    @TempDir
    static Path dir;
    private static byte[] validJson;
    private static byte[] validState;

    @BeforeAll
    static void writeTheCheckpoint() throws IOException {
        writeCheckpoint(dir);
        validJson = Files.readAllBytes(dir.resolve(CheckpointFiles.DESCRIPTION));
        validState = Files.readAllBytes(dir.resolve(CheckpointFiles.STATE));
    }

    @FuzzTest(maxDuration = "2m")
    void checkpointJson(byte[] input) throws Exception {
        Files.write(dir.resolve(CheckpointFiles.DESCRIPTION), input);
        Files.write(dir.resolve(CheckpointFiles.STATE), validState);
        loadsOrFailsWith(CheckpointFilesFuzzTest::resume, IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "2m")
    void stateFile(byte[] input) throws Exception {
        Files.write(dir.resolve(CheckpointFiles.DESCRIPTION), validJson);
        Files.write(dir.resolve(CheckpointFiles.STATE), input);
        loadsOrFailsWith(CheckpointFilesFuzzTest::resume, IllegalArgumentException.class);
    }

    /** What resuming does before its first step; a run of as many epochs as the checkpoint has done trains none. */
    private static void resume() throws IOException {
        CheckpointFiles.Loaded loaded = CheckpointFiles.load(dir);
        CheckpointFiles.requireSameRun(dir, loaded.run(), RUN);
        SmallRun run = new SmallRun();
        run.trainer.fit(run.task, data(), null, config(loaded.checkpoint().epochsDone()),
                Checkpointing.none().resumingFrom(loaded.checkpoint()));
    }

    /** The small run's checkpoint after one epoch, its two files flat in {@code target}. */
    static void writeCheckpoint(Path target) throws IOException {
        Path saved = Files.createTempDirectory("checkpoint");
        SmallRun run = new SmallRun();
        run.trainer.fit(run.task, data(), null, config(1), Checkpointing.every(1, CheckpointFiles.store(saved, RUN)));
        Path version = AtomicFiles.currentVersion(saved);
        for (String f : new String[] {CheckpointFiles.DESCRIPTION, CheckpointFiles.STATE}) {
            Files.copy(version.resolve(f), target.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static final ObjectNode RUN = JsonNodeFactory.instance.objectNode().put("model", "fuzz").put("seed", 3);

    /** An id lookup, dropout and a dense layer under Adam: weights, streams, slots and an order to restore. */
    private static final class SmallRun {
        final SupervisedTask task;
        final Trainer trainer = new Trainer(new Adam(0.01f));

        SmallRun() {
            Rng rng = new Rng(3);
            task = new SupervisedTask(new Sequential("net", new Embedding(5, 2, rng), new Flatten(),
                    new Dropout(0.5, rng), new Dense(2, 1, Activation.LINEAR, rng)), new MeanSquaredError());
        }
    }

    private static FitConfig config(int epochs) {
        return new FitConfig(Math.max(1, epochs), 2, true, 5L, 1, 0f);
    }

    private static TensorDataset data() {
        return new TensorDataset(Tensor.wrap(new float[] {0, 1, 2, 3, 4, 1}, 6, 1),
                Tensor.wrap(new float[] {0, 1, 0, 1, 0, 1}, 6, 1));
    }
}
