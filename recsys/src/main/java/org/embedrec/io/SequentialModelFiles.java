package org.embedrec.io;

import static org.embedrec.io.ModelDescription.required;
import static org.embedrec.io.ModelDescription.strings;
import static org.embedrec.io.ModelDescription.vector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.data.DataFingerprint;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.UserSequences;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.models.sequential.NextItemScorer;
import org.embedrec.models.sequential.PopularityModel;
import org.embedrec.models.sequential.SasRec;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;
import org.embedrec.recommend.UserHistory;

/**
 * A saved next-item model ({@code gru4rec}, {@code sasrec} or the {@code pop} baseline) is a
 * directory holding everything recommending needs, so that {@code recommend} reads no data:
 *
 * <ul>
 *   <li>{@code model.json}: format and version, the model's name and configuration (none for
 *       pop), the data set and split it was trained on with the data's fingerprint and the test
 *       metrics training printed, the catalogue (raw item ids in row order, titles when the data
 *       had them), the known users in history row order, each weight's shape, and the CRC-32C of
 *       the weights file it belongs to;
 *   <li>{@code weights.safetensors}: every parameter by its path, each item's training
 *       interactions ({@value #INTERACTIONS} I64: pop's scores and the popularity fallback), and
 *       per known user their latest time ({@value #LATEST} I64), the items they saw
 *       ({@value #SEEN_OFFSETS}, {@value #SEEN_ITEMS} I32, ascending: see {@link UserHistory})
 *       and their most recent items in time order ({@value #SEQUENCE_OFFSETS},
 *       {@value #SEQUENCE_ITEMS} I32, oldest first, the last {@code max_length}, which is all the
 *       model reads).
 * </ul>
 *
 * <p>A known user's history is every interaction of theirs but the one leave-last-out holds out
 * for test (the validation item included), which is what the test ranking of that user read:
 * a known user's recommendation is the ranking the reported test metrics scored. The counts are
 * those of the training sequences, as pop was fitted on. Both files are saved as one version of
 * the directory ({@link AtomicFiles#writeDirectory}); the checksum in {@code model.json} tells
 * whether they were saved together.
 */
public final class SequentialModelFiles {
    public static final String FORMAT = "embedrec-sequential-model";
    public static final int FORMAT_VERSION = 1;
    static final String MODEL_JSON = ModelDescription.FILE;
    static final String WEIGHTS = RatingModelFiles.WEIGHTS;
    static final String INTERACTIONS = "catalogue/interactions";
    static final String LATEST = "users/latest_timestamp";
    static final String SEEN_OFFSETS = "users/seen_offsets";
    static final String SEEN_ITEMS = "users/seen_items";
    static final String SEQUENCE_OFFSETS = "users/sequence_offsets";
    static final String SEQUENCE_ITEMS = "users/sequence_items";
    /** How much of a user's history pop keeps, having no max_length of its own: what a page shows, and more. */
    static final int POP_HISTORY = 200;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SequentialModelFiles() {}

    /**
     * A saved model read back.
     *
     * @param name gru4rec, sasrec or pop
     * @param config the model's configuration; null for pop
     * @param scorer the model, in inference mode (a {@link SequenceEncoder} or {@link PopularityModel})
     * @param titles one per item, or null when the data had none
     * @param interactions training interactions per item
     * @param history the known users' seen items and latest times
     * @param sequenceOffsets user row {@code u}'s recent items are {@code sequenceItems[sequenceOffsets[u] ..
     *     sequenceOffsets[u + 1])}, oldest first
     * @param evaluationSeed the seed of the sampled metrics' negatives that training reported with
     * @param provenance how the model was made: embedrec version, model, data, split, config, fingerprint, metrics
     */
    public record Loaded(String name, SequentialConfig config, NextItemScorer scorer, List<String> itemIds,
                         String[] titles, long[] interactions, UserHistory history, int[] sequenceOffsets,
                         int[] sequenceItems, String dataName, long evaluationSeed, JsonNode provenance) {}

    /**
     * Saves {@code model} ({@code name}: gru4rec or sasrec with its {@code config}, or pop with a
     * null config), trained on {@code data} under leave-last-out, as a new version of {@code dir};
     * {@code metrics} are the test metrics training reported, their sampled variants drawn from
     * {@code evaluationSeed}.
     */
    public static void save(Path dir, String name, SequentialConfig config, NextItemScorer model, RatingsData data,
                            Map<String, Double> metrics, long evaluationSeed) throws IOException {
        if ((config == null) != (model instanceof PopularityModel)) {
            throw new IllegalArgumentException(name + ": a configuration goes with a trained model, none with pop");
        }
        LayerWeights.prepareDirectory(dir);
        AtomicFiles.writeDirectory(dir, files -> write(files, name, config, model, data, metrics, evaluationSeed));
    }

    private static void write(Path dir, String name, SequentialConfig config, NextItemScorer model, RatingsData data,
                              Map<String, Double> metrics, long evaluationSeed) throws IOException {
        Interactions all = data.interactions();
        Interactions served = Split.leaveLastOut(all).train();
        UserSequences trainSequences = UserSequences.of(Split.leaveLastOut(served).train());
        UserHistory history = UserHistory.of(served);
        int keep = config == null ? POP_HISTORY : config.maxLength();
        int[] counts = trainSequences.itemCounts();
        long[] interactions = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            interactions[i] = counts[i];
        }
        String[] titles = null;
        if (data.items().isPresent()) {
            titles = new String[all.numItems()];
            for (int i = 0; i < titles.length; i++) {
                titles[i] = data.items().get().title(i);
            }
        }
        Served contents = new Served(data.name(), "leave-last-out",
                "sha256:" + new DataFingerprint().add("data", all).hex(), all.size(), all.items().rawIds(), titles,
                interactions, history, recentSequences(served, history, keep));
        writeServed(dir, name, config, model, contents, metrics, evaluationSeed);
    }

    /**
     * What a saved next-item model answers from, whoever split and trained it: the catalogue, each
     * item's training interactions, and the known users' history with their recent items.
     *
     * @param split how the data was split before training (the CLI's "leave-last-out"; "none" when every row trained)
     * @param fingerprint the data's fingerprint, or null when the rows were never held in one place
     * @param titles one per item, or null
     * @param interactions training interactions per item (pop's scores, the popularity fallback)
     * @param sequences per user row of {@code history}, their most recent items (at most the model's
     *     max_length, pop's {@value #POP_HISTORY}), oldest first
     */
    public record Served(String dataName, String split, String fingerprint, long dataRows, List<String> itemIds,
                         String[] titles, long[] interactions, UserHistory history, int[][] sequences) {
        public Served {
            if (interactions.length != itemIds.size() || history.catalogueSize() != itemIds.size()) {
                throw new IllegalArgumentException("served next-item model: " + itemIds.size() + " items, "
                        + interactions.length + " interaction counts and a history over " + history.catalogueSize()
                        + " items; expected as many of each");
            }
            if (sequences.length != history.size()) {
                throw new IllegalArgumentException("served next-item model: " + sequences.length + " recent sequences "
                        + "for " + history.size() + " users");
            }
        }
    }

    /**
     * Saves {@code model} ({@code name}: gru4rec or sasrec with its {@code config}) as a new
     * version of {@code dir}, answering from {@code served}: the entry of a trainer that holds
     * no {@link RatingsData} (the Spark estimator builds each user's history where the rows are).
     * {@code metrics} may be empty.
     */
    public static void save(Path dir, String name, SequentialConfig config, NextItemScorer model, Served served,
                            Map<String, Double> metrics, long evaluationSeed) throws IOException {
        if ((config == null) != (model instanceof PopularityModel)) {
            throw new IllegalArgumentException(name + ": a configuration goes with a trained model, none with pop");
        }
        LayerWeights.prepareDirectory(dir);
        AtomicFiles.writeDirectory(dir, files -> writeServed(files, name, config, model, served, metrics,
                evaluationSeed));
    }

    private static void writeServed(Path dir, String name, SequentialConfig config, NextItemScorer model,
                                    Served served, Map<String, Double> metrics, long evaluationSeed)
            throws IOException {
        UserHistory history = served.history();
        int[][] sequences = served.sequences();
        int keep = config == null ? POP_HISTORY : config.maxLength();
        for (int u = 0; u < sequences.length; u++) {
            if (sequences[u].length > keep) {
                throw new IllegalArgumentException("served next-item model: user '" + history.userId(u) + "' has "
                        + sequences[u].length + " recent items, more than the " + keep + " the model reads");
            }
        }

        Map<String, Tensor> weights = new LinkedHashMap<>();
        ObjectNode shapes = model instanceof SequenceEncoder encoder
                ? LayerWeights.collect(encoder, weights) : JSON.createObjectNode();
        Map<String, int[]> int32 = new LinkedHashMap<>();
        int32.put(SEEN_OFFSETS, history.offsets());
        int32.put(SEEN_ITEMS, history.items());
        int[] offsets = new int[sequences.length + 1];
        for (int u = 0; u < sequences.length; u++) {
            offsets[u + 1] = offsets[u] + sequences[u].length;
        }
        int[] items = new int[offsets[sequences.length]];
        for (int u = 0; u < sequences.length; u++) {
            System.arraycopy(sequences[u], 0, items, offsets[u], sequences[u].length);
        }
        int32.put(SEQUENCE_OFFSETS, offsets);
        int32.put(SEQUENCE_ITEMS, items);
        Map<String, long[]> int64 = new LinkedHashMap<>();
        int64.put(INTERACTIONS, served.interactions());
        int64.put(LATEST, history.latestTimestamps());
        String checksum = SafeTensors.write(dir.resolve(WEIGHTS), weights, int32, int64,
                Map.of("format", "embedrec", "model", name));

        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("embedrec_version", EmbedrecVersion.CURRENT);
        root.put("model", name);
        root.put("data", served.dataName());
        root.put("split", served.split());
        root.set("config", config == null ? JSON.nullNode() : JSON.valueToTree(config));
        if (served.fingerprint() != null) {
            root.put("data_fingerprint", served.fingerprint());
        }
        root.put("data_rows", served.dataRows());
        root.set("metrics", JSON.valueToTree(metrics));
        root.put("evaluation_seed", evaluationSeed);
        ObjectNode catalogue = root.putObject("catalogue");
        catalogue.set("item_ids", JSON.valueToTree(served.itemIds()));
        if (served.titles() != null) {
            catalogue.set("titles", JSON.valueToTree(served.titles()));
        }
        root.put("history_length", keep);
        root.set("users", JSON.valueToTree(history.userIds()));
        root.set("parameters", shapes);
        root.put("weights_crc32c", checksum);
        AtomicFiles.write(dir.resolve(MODEL_JSON), out -> JSON.writeValue(out, root));
    }

    /** Per user row of {@code history}, their last {@code keep} items of {@code served}, oldest first. */
    private static int[][] recentSequences(Interactions served, UserHistory history, int keep) {
        UserSequences sequences = UserSequences.of(served);
        int[][] out = new int[history.size()][];
        for (int u = 0; u < sequences.numUsers(); u++) {
            int row = history.row(served.users().rawId(u));
            if (row >= 0) {
                int[] all = sequences.items(u);
                out[row] = all.length <= keep ? all : Arrays.copyOfRange(all, all.length - keep, all.length);
            }
        }
        return out;
    }

    /** Whether {@code dir}'s current {@code model.json} names this format (false when it is unreadable). */
    public static boolean holds(Path dir) {
        try {
            JsonNode root = ModelDescription.read(AtomicFiles.currentVersion(dir));
            return root != null && FORMAT.equals(root.path("format").asText());
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads the current version of {@code saved}; a missing, damaged or foreign file fails naming it. */
    public static Loaded load(Path saved) throws IOException {
        if (!Files.isDirectory(saved)) {
            throw new ModelFileException(saved + ": " + (Files.exists(saved) ? "not a directory" : "no such directory")
                    + "; expected a directory written by train --save");
        }
        return read(AtomicFiles.currentVersion(saved));
    }

    /** Reads the files of one saved version, {@code dir} (already resolved by {@link AtomicFiles#currentVersion}). */
    public static Loaded read(Path dir) throws IOException {
        Path json = dir.resolve(MODEL_JSON);
        JsonNode root = ModelDescription.read(dir);
        String format = root == null ? "" : root.path("format").asText();
        if (!FORMAT.equals(format)) {
            throw new ModelFileException(json + ": not an embedrec next-item model (format is '" + format
                    + "', expected '" + FORMAT + "')");
        }
        int version = root.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(json + ": format version " + version + ", this embedrec reads version "
                    + FORMAT_VERSION);
        }
        String name = root.path("model").asText("");
        SequentialConfig config;
        List<String> itemIds;
        String[] titles;
        List<String> users;
        try {
            boolean pop = name.equals(PopularityModel.NAME);
            if (!pop && !SequentialModels.NAMES.contains(name)) {
                throw new IllegalArgumentException("model '" + name + "' is none of " + SequentialModels.NAMES
                        + " or " + PopularityModel.NAME);
            }
            config = pop ? null : JSON.treeToValue(required(root, "config"), SequentialConfig.class);
            if (config != null && !config.model().equals(name)) {
                throw new IllegalArgumentException("config.model '" + config.model() + "' is not the model '" + name
                        + "'");
            }
            JsonNode catalogue = required(root, "catalogue");
            itemIds = strings(required(catalogue, "item_ids"), "catalogue.item_ids");
            titles = catalogue.has("titles")
                    ? strings(catalogue.get("titles"), "catalogue.titles").toArray(String[]::new) : null;
            if (titles != null && titles.length != itemIds.size()) {
                throw new IllegalArgumentException("catalogue.titles: " + titles.length + " titles for "
                        + itemIds.size() + " items");
            }
            users = strings(required(root, "users"), "users");
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFileException(json + ": damaged model description: " + ModelDescription.firstLine(e));
        }
        Path weightsFile = dir.resolve(WEIGHTS);
        SafeTensors.Contents contents = ModelDescription.checkedWeights(weightsFile, root);
        int numItems = itemIds.size();
        long[] interactions = vector(weightsFile, contents.int64(), INTERACTIONS);
        if (interactions.length != numItems) {
            throw new ModelFileException(weightsFile + ": '" + INTERACTIONS + "' has " + interactions.length
                    + " counts for " + numItems + " items");
        }
        NextItemScorer scorer;
        if (config == null) {
            float[] counts = new float[numItems];
            for (int i = 0; i < numItems; i++) {
                counts[i] = interactions[i];
            }
            scorer = new PopularityModel(counts);
        } else {
            SequenceEncoder model;
            describedByTheWeights(weightsFile, config, numItems, contents.tensors());
            try {
                model = SequentialModels.create(config, numItems, new Rng(config.seed()));
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(json + ": the model it describes cannot be built: " + e.getMessage());
            }
            LayerWeights.restore(model, weightsFile, contents.tensors());
            model.setTraining(false);
            scorer = model;
        }
        UserHistory history;
        int[] sequenceOffsets = vector(weightsFile, contents.int32(), SEQUENCE_OFFSETS);
        int[] sequenceItems = vector(weightsFile, contents.int32(), SEQUENCE_ITEMS);
        try {
            history = UserHistory.of(users, vector(weightsFile, contents.int64(), LATEST),
                    vector(weightsFile, contents.int32(), SEEN_OFFSETS),
                    vector(weightsFile, contents.int32(), SEEN_ITEMS), numItems);
            checkSequences(users.size(), sequenceOffsets, sequenceItems, numItems);
        } catch (IllegalArgumentException e) {
            if (e instanceof ModelFileException) {
                throw e;
            }
            throw new ModelFileException(weightsFile + ": " + e.getMessage());
        }
        return new Loaded(name, config, scorer, itemIds, titles, interactions, history, sequenceOffsets, sequenceItems,
                root.path("data").asText(), root.path("evaluation_seed").asLong(), provenance(root));
    }

    /**
     * Checks, before the model is built, that the weights hold the item table, positions and
     * number of layers the configuration describes: a damaged description (a width or a layer
     * count of a billion) is then refused naming the file rather than allocated, since the
     * weights file, read within its size limit, bounds the model.
     */
    private static void describedByTheWeights(Path file, SequentialConfig config, int numItems,
                                              Map<String, Tensor> tensors) {
        LayerWeights.tensor(file, tensors, "items/embeddings", new int[] {numItems + 1, config.embeddingDim()});
        String layer = config.model().equals(SasRec.NAME) ? "block_%d/inner/kernel" : "gru_%d/kernel";
        if (config.model().equals(SasRec.NAME)) {
            LayerWeights.tensor(file, tensors, "positions/embeddings",
                    new int[] {config.maxLength(), config.embeddingDim()});
        }
        if (!tensors.containsKey(String.format(java.util.Locale.ROOT, layer, config.layers() - 1))
                || tensors.containsKey(String.format(java.util.Locale.ROOT, layer, config.layers()))) {
            throw new ModelFileException(file + ": does not hold the " + config.layers() + " layers the model's "
                    + "configuration describes");
        }
    }

    private static void checkSequences(int users, int[] offsets, int[] items, int numItems) {
        if (offsets.length != users + 1 || offsets[0] != 0 || offsets[users] != items.length) {
            throw new IllegalArgumentException("user sequences: " + offsets.length + " offsets running to "
                    + (offsets.length == 0 ? "nothing" : offsets[offsets.length - 1]) + "; expected " + (users + 1)
                    + " from 0 to " + items.length);
        }
        for (int u = 0; u < users; u++) {
            if (offsets[u + 1] < offsets[u]) {
                throw new IllegalArgumentException("user sequences: offsets[" + (u + 1) + "] < offsets[" + u + "]");
            }
        }
        for (int k = 0; k < items.length; k++) {
            if (items[k] < 0 || items[k] >= numItems) {
                throw new IllegalArgumentException("user sequences: item row " + items[k] + " at position " + k
                        + " is outside the catalogue [0, " + numItems + ")");
            }
        }
    }

    /** What model.json says of how the model was made. */
    private static JsonNode provenance(JsonNode root) {
        ObjectNode out = JSON.createObjectNode();
        for (String field : new String[] {"embedrec_version", "model", "data", "split", "config", "data_fingerprint",
                "data_rows", "metrics"}) {
            if (root.has(field)) {
                out.set(field, root.get(field));
            }
        }
        return out;
    }
}
