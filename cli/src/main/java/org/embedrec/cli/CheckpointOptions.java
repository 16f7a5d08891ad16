package org.embedrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.embedrec.data.DataFingerprint;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.CheckpointFiles;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.TrainingDivergedException;
import picocli.CommandLine.Option;

/**
 * The {@code train} options of checkpoints, read by every model: where to write them, every how
 * many epochs, and a checkpoint to continue from. A checkpoint is a whole set (weights, optimizer
 * slots and step counts, random streams, the order of the examples, the history so far) and
 * records the run it belongs to ({@link #run}); resuming it with other options is refused with
 * the first difference named, since the result would be neither run.
 */
final class CheckpointOptions {

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write a checkpoint (weights, optimizer state, random streams, position in the data) to DIR "
                    + "every --checkpoint-every epochs; each replaces the last one whole, so DIR always holds the last "
                    + "complete one.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Epochs between checkpoints (default 1). Checkpoints fall between epochs: a run stopped in "
                    + "the middle of one resumes at its start.")
    Integer every;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run whose checkpoint is in DIR, given the options it was started with; it ends "
                    + "with the weights, metrics and history of the run that never stopped. Checkpoints go on to DIR "
                    + "unless --checkpoint-dir names another.")
    Path resume;

    private CheckpointFiles.Store store;
    private String resumedPosition;

    /**
     * The description of a run that a checkpoint records and a resumed run must match: the
     * model, its configuration, the split, and a fingerprint of the rows of both parts of it
     * (with {@code fingerprint} holding any side tables already). The thread count is not part of
     * it: one seed gives the same model on any number of threads.
     */
    static ObjectNode run(String model, JsonNode config, String splitSpec, Split split, DataFingerprint fingerprint) {
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("model", model);
        run.set("config", config);
        run.put("split", splitSpec);
        ObjectNode data = run.putObject("data");
        data.put("train_rows", split.train().size());
        data.put("test_rows", split.test().size());
        data.put("fingerprint", fingerprint.add("train", split.train()).add("test", split.test()).hex());
        return run;
    }

    /**
     * The description of a next-item run (the split is leave-last-out, decided by the rows): the
     * model, its configuration, the split and a fingerprint of every interaction in its order.
     */
    static ObjectNode run(String model, JsonNode config, String splitSpec, Interactions all) {
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("model", model);
        run.set("config", config);
        run.put("split", splitSpec);
        ObjectNode data = run.putObject("data");
        data.put("rows", all.size());
        data.put("fingerprint", new DataFingerprint().add("interactions", all).hex());
        return run;
    }

    /**
     * How the run {@code run} checkpoints and whether it resumes, after checking the options and,
     * when resuming, that the checkpoint belongs to this run.
     */
    Checkpointing prepare(JsonNode run, boolean quiet) throws IOException {
        return prepare(() -> run, quiet);
    }

    /**
     * As {@link #prepare(JsonNode, boolean)}, the run's description made only when a checkpoint is
     * written or resumed: its data fingerprint digests every row, a tenth of a 25M-row {@code mf}
     * run, which a run without checkpoints has no use for.
     */
    Checkpointing prepare(Supplier<? extends JsonNode> describeRun, boolean quiet) throws IOException {
        if (every != null && every < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be at least 1 epoch, got " + every);
        }
        Path target = checkpointDir != null ? checkpointDir : resume;
        if (target == null) {
            if (every != null) {
                throw new IllegalArgumentException("--checkpoint-every needs --checkpoint-dir DIR to write them to");
            }
            return Checkpointing.none();
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException((target == checkpointDir ? "--checkpoint-dir " : "--resume ") + target
                    + ": exists and is not a directory");
        }
        if (checkpointDir != null && !checkpointDir.equals(resume) && AtomicFiles.hasVersions(checkpointDir)) {
            throw new IllegalArgumentException("--checkpoint-dir " + checkpointDir + " already holds a checkpoint; "
                    + "continue it with --resume " + checkpointDir + ", or choose another directory");
        }
        JsonNode run = describeRun.get();
        store = CheckpointFiles.store(target, run);
        Checkpointing checkpointing = Checkpointing.every(every == null ? 1 : every, store);
        if (resume == null) {
            return checkpointing;
        }
        CheckpointFiles.Loaded loaded = CheckpointFiles.load(resume);
        CheckpointFiles.requireSameRun(resume, loaded.run(), run);
        resumedPosition = loaded.checkpoint().position();
        if (!quiet) {
            System.out.println("resuming from the checkpoint " + resumedPosition + " in " + resume);
        }
        return checkpointing.resumingFrom(loaded.checkpoint());
    }

    /** {@code e} with where the last good checkpoint is, when there is one. */
    TrainingDivergedException diverged(TrainingDivergedException e) {
        String last = store == null ? null : store.lastPosition() != null ? store.lastPosition() : resumedPosition;
        if (last == null) {
            return e;
        }
        return new TrainingDivergedException(e.getMessage() + "; " + store.directory()
                + " keeps the last good checkpoint, " + last, e.epoch(), e.step());
    }
}
