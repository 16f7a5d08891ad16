package org.embedrec.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.train.Checkpoint;
import org.embedrec.nn.train.CheckpointStore;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;

/**
 * A training checkpoint on disk, a directory written as one set by
 * {@link AtomicFiles#writeDirectory} (so a new checkpoint replaces the last good one whole, or
 * not at all, and a changed byte is refused on loading):
 *
 * <ul>
 *   <li>{@value #DESCRIPTION}: format and version, the epochs done and the training phase they
 *       are of ({@code main} unless the run pre-trains parts of its model), the run the checkpoint
 *       belongs to (model, configuration, data fingerprint and split, as the caller describes
 *       it), and the history of the epochs done, every number exactly as trained;
 *   <li>{@value #STATE}: the {@link TrainingState}, its float tensors, int and long vectors under
 *       their names (weights under {@code model/...}, optimizer slots under {@code optimizer/...}).
 * </ul>
 *
 * <p>{@link #requireSameRun} compares the saved run with the one about to resume and names the
 * first thing that differs, so a checkpoint is never continued by another model or on other data.
 */
public final class CheckpointFiles {
    public static final int FORMAT_VERSION = 1;
    static final String FORMAT = "embedrec-checkpoint";
    static final String DESCRIPTION = "checkpoint.json";
    static final String STATE = "state.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointFiles() {}

    /** A checkpoint read back, with the description of the run it belongs to. */
    public record Loaded(Checkpoint checkpoint, JsonNode run) {}

    /** Writes {@code checkpoint} of the run {@code run} describes into {@code dir}, replacing the one there. */
    public static void save(Path dir, JsonNode run, Checkpoint checkpoint) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("checkpoint directory " + dir + ": exists and is not a directory");
        }
        AtomicFiles.writeDirectory(dir, files -> {
            TrainingState state = checkpoint.state();
            SafeTensors.write(files.resolve(STATE), state.floats(), state.ints(), state.longs(),
                    Map.of("format", "embedrec-checkpoint"));
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("format_version", FORMAT_VERSION);
            root.put("embedrec_version", EmbedrecVersion.CURRENT);
            root.put("epochs_done", checkpoint.epochsDone());
            root.put("phase", checkpoint.phase());
            root.set("run", run);
            root.set("history", historyJson(checkpoint.history()));
            AtomicFiles.write(files.resolve(DESCRIPTION), out -> JSON.writeValue(out, root));
        });
    }

    /** Reads the checkpoint in {@code dir}; a missing, damaged or foreign one fails with a message naming the file. */
    public static Loaded load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelFileException(dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory")
                    + "; expected a checkpoint directory written by train --checkpoint-dir");
        }
        Path files = AtomicFiles.currentVersion(dir);
        Path json = files.resolve(DESCRIPTION);
        JsonNode root;
        try {
            root = JSON.readTree(FileSizeLimit.readUtf8(json, FileSizeLimit.DESCRIPTION_BYTES));
        } catch (NoSuchFileException e) {
            throw new ModelFileException(dir + ": holds no checkpoint (no " + DESCRIPTION + ")");
        } catch (FileSizeLimit.TooLarge e) {
            throw new ModelFileException(json + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ModelFileException(json + ": not valid JSON: " + ModelDescription.firstLine(e));
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new ModelFileException(json + ": not an embedrec checkpoint");
        }
        if (root.path("format_version").asInt(-1) != FORMAT_VERSION) {
            throw new ModelFileException(json + ": format version " + root.path("format_version").asText()
                    + ", this embedrec reads version " + FORMAT_VERSION);
        }
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(files.resolve(STATE));
        } catch (NoSuchFileException e) {
            throw new ModelFileException(dir + ": " + STATE + " is missing");
        }
        TrainingState state = new TrainingState();
        contents.tensors().forEach(state::putFloats);
        contents.int32().forEach(state::putInts);
        contents.int64().forEach(state::putLongs);
        try {
            History history = history(root.path("history"));
            Checkpoint checkpoint = new Checkpoint(root.path("epochs_done").asInt(0), history, state, phase(root));
            return new Loaded(checkpoint, root.path("run"));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(json + ": damaged checkpoint description: " + ModelDescription.firstLine(e));
        }
    }

    /**
     * Refuses to continue the checkpoint of run {@code saved} as run {@code current}: the message
     * names the first field that differs and both values, in the order the description lists them.
     */
    public static void requireSameRun(Path dir, JsonNode saved, JsonNode current) {
        String difference = firstDifference("", saved, asReadBack(current));
        if (difference != null) {
            throw new IllegalArgumentException("--resume " + dir + ": the checkpoint belongs to another run: "
                    + difference + "; give the options of the run that wrote it, or train afresh with another "
                    + "--checkpoint-dir");
        }
    }

    /** A store that writes each checkpoint into {@code dir}, remembering the last one it wrote. */
    public static Store store(Path dir, JsonNode run) {
        return new Store(dir, run);
    }

    /** Writes checkpoints of one run into one directory. */
    public static final class Store implements CheckpointStore {
        private final Path dir;
        private final JsonNode run;
        private Checkpoint last;

        private Store(Path dir, JsonNode run) {
            this.dir = Objects.requireNonNull(dir, "dir");
            this.run = Objects.requireNonNull(run, "run");
        }

        @Override
        public void save(Checkpoint checkpoint) throws IOException {
            CheckpointFiles.save(dir, run, checkpoint);
            last = checkpoint;
        }

        public Path directory() {
            return dir;
        }

        /** The epoch of the last checkpoint this store wrote, 0 before the first. */
        public int lastEpoch() {
            return last == null ? 0 : last.epochsDone();
        }

        /** Where the last checkpoint this store wrote stands ({@link Checkpoint#position()}), null before the first. */
        public String lastPosition() {
            return last == null ? null : last.position();
        }
    }

    private static String firstDifference(String path, JsonNode saved, JsonNode current) {
        if (saved.isObject() && current.isObject()) {
            List<String> names = new ArrayList<>();
            saved.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = current.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            for (String name : names) {
                String field = path.isEmpty() ? name : path + "." + name;
                JsonNode a = saved.get(name);
                JsonNode b = current.get(name);
                if (a == null || b == null) {
                    return field + " is " + (a == null ? "absent" : shown(a)) + " in the checkpoint, "
                            + (b == null ? "absent" : shown(b)) + " in this command";
                }
                String inner = firstDifference(field, a, b);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        return saved.equals(current) ? null
                : (path.isEmpty() ? "the run" : path) + " is " + shown(saved) + " in the checkpoint, " + shown(current)
                        + " in this command";
    }

    /**
     * {@code run} as it reads back from a checkpoint: a float configuration value is a double
     * there and a long seed may be an int, which are other nodes that compare unequal.
     */
    private static JsonNode asReadBack(JsonNode run) {
        try {
            return JSON.readTree(JSON.writeValueAsString(run));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree reads back", e);
        }
    }

    /** A value as it reads in a message: long ones cut short. */
    private static String shown(JsonNode value) {
        String s = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** The training phase; a checkpoint written before phases were recorded is of the main phase. */
    private static String phase(JsonNode root) {
        JsonNode phase = root.get("phase");
        if (phase == null) {
            return Checkpoint.MAIN_PHASE;
        }
        if (!phase.isTextual()) {
            throw new IllegalArgumentException("field \"phase\" must be a string, got " + shown(phase));
        }
        return phase.asText();
    }

    private static ArrayNode historyJson(History history) {
        ArrayNode epochs = JSON.createArrayNode();
        for (EpochResult e : history.epochs()) {
            ObjectNode o = epochs.addObject();
            o.put("epoch", e.epoch());
            number(o, "loss", e.loss());
            number(o, "seconds", e.seconds());
            number(o, "validation_seconds", e.validationSeconds());
            o.put("examples", e.examples());
            ObjectNode validation = o.putObject("validation");
            new TreeMap<>(e.validation()).forEach((k, v) -> number(validation, k, v));
        }
        if (history.stoppedEarly()) {
            epochs.addObject().put("stopped_early", true);
        }
        return epochs;
    }

    private static History history(JsonNode epochs) {
        if (!epochs.isArray()) {
            throw new IllegalArgumentException("field \"history\" is missing");
        }
        List<EpochResult> results = new ArrayList<>();
        boolean stoppedEarly = false;
        for (JsonNode e : epochs) {
            if (e.path("stopped_early").asBoolean(false)) {
                stoppedEarly = true;
                continue;
            }
            Map<String, Double> validation = new LinkedHashMap<>();
            e.path("validation").fields().forEachRemaining(f -> validation.put(f.getKey(), number(f.getValue())));
            results.add(new EpochResult(e.path("epoch").asInt(), number(e.path("loss")), number(e.path("seconds")),
                    number(e.path("validation_seconds")), e.path("examples").asLong(), validation));
        }
        return History.of(results, stoppedEarly);
    }

    /**
     * A double as JSON: a number (Jackson writes the shortest decimal that reads back to the same
     * bits), or for NaN and the infinities their names as strings, which JSON has no number for.
     */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.put(field, Double.toString(value));
        }
    }

    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(node.asText())) {
            return Double.parseDouble(node.asText());
        }
        throw new IllegalArgumentException("expected a number, got " + node);
    }
}
