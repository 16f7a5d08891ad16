package org.embedrec.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.engine.Tensor;
import org.embedrec.index.HnswIndex;
import org.embedrec.index.TopKIndex;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.FeatureModelFiles;
import org.embedrec.io.FileSizeLimit;
import org.embedrec.io.ModelFileException;
import org.embedrec.io.SafeTensors;
import org.embedrec.io.SequentialModelFiles;

/**
 * The saved form of a {@link Recommender}: one version of a model directory
 * ({@link AtomicFiles#writeDirectory}, so a reader sees the whole set of one save or none of it)
 * holding the model's own files ({@link FeatureModelFiles}: {@code model.json},
 * {@code weights.safetensors}) and what answering needs beside them:
 *
 * <ul>
 *   <li>{@value #SERVING_JSON}: format and version, the CRC-32C of both weights files (so files
 *       of two saves put together by hand are refused), the index settings, the time of a query
 *       by an unknown user, the known users' ids and latest raw query features by column, and
 *       the items' attributes by column (null where an item has none);
 *   <li>{@value HnswGraphFiles#FILE}, when the catalogue is searched on an HNSW graph: the graph
 *       ({@link HnswGraphFiles}), listed with its checksum in {@value #SERVING_JSON}'s
 *       {@code index_file}, so that loading does not build it again;
 *   <li>{@value #SERVING_WEIGHTS}: the catalogue's candidate embeddings
 *       ({@value #CANDIDATES} F32 {@code [items, width]}) and training interactions per item
 *       ({@value #INTERACTIONS} I64), each user's latest training time ({@value #LATEST} I64),
 *       seen items and latest items in compressed sparse rows ({@value #SEEN_OFFSETS},
 *       {@value #SEEN_ITEMS}, {@value #RECENT_OFFSETS}, {@value #RECENT_ITEMS} I32).
 * </ul>
 *
 * <p>Loading also reads the presets' directories: the two-tower preset (its candidate
 * embeddings and history are in its weights file; popularity is the number of users who had
 * each item; the titles are the only attribute) and the rating presets (scores only).
 */
final class RecommenderFiles {
    static final String SERVING_JSON = "serving.json";
    static final String SERVING_WEIGHTS = "serving.safetensors";
    static final String FORMAT = "embedrec-serving";
    /** 2 adds the saved HNSW graph ({@link HnswGraphFiles}); version 1 directories still load, building it. */
    static final int FORMAT_VERSION = 2;
    static final String CANDIDATES = "catalogue/candidate_embeddings";
    static final String INTERACTIONS = "catalogue/interactions";
    static final String LATEST = "users/latest_timestamp";
    static final String SEEN_OFFSETS = "users/seen_offsets";
    static final String SEEN_ITEMS = "users/seen_items";
    static final String RECENT_OFFSETS = "users/recent_offsets";
    static final String RECENT_ITEMS = "users/recent_items";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RecommenderFiles() {}

    static void save(Path dir, Recommender recommender, FeatureQueryModel model) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": exists and is not a directory");
        }
        AtomicFiles.writeDirectory(dir, files -> write(files, recommender, model));
    }

    private static void write(Path files, Recommender recommender, FeatureQueryModel model) throws IOException {
        Catalogue catalogue = recommender.catalogue();
        UserHistory history = recommender.history();
        RecentItems recent = recommender.recent();
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = JSON.convertValue(recommender.provenance(), LinkedHashMap.class);
        String weights = FeatureModelFiles.write(files, model.encoder(), model.model(), catalogue.itemIds(), provenance);

        Map<String, int[]> int32 = new LinkedHashMap<>();
        int32.put(SEEN_OFFSETS, history.offsets());
        int32.put(SEEN_ITEMS, history.items());
        int32.put(RECENT_OFFSETS, recent.offsets());
        int32.put(RECENT_ITEMS, recent.items());
        Map<String, long[]> int64 = new LinkedHashMap<>();
        int64.put(INTERACTIONS, catalogue.interactionCounts());
        int64.put(LATEST, history.latestTimestamps());
        String serving = SafeTensors.write(files.resolve(SERVING_WEIGHTS),
                Map.of(CANDIDATES, Tensor.wrap(model.candidateEmbeddings(), catalogue.size(), model.candidateWidth())),
                int32, int64, Map.of("format", FORMAT));

        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("embedrec_version", EmbedrecVersion.CURRENT);
        root.put("weights_crc32c", weights);
        root.put("serving_crc32c", serving);
        root.set("index", recommender.indexSettings().toJson());
        if (recommender.index() instanceof HnswIndex hnsw && hnsw.graph() != null) {
            ObjectNode graph = root.putObject("index_file");
            graph.put("name", HnswGraphFiles.FILE);
            graph.put("crc32c", HnswGraphFiles.write(files, hnsw, model.candidateEmbeddings()));
        }
        root.put("default_time", recommender.defaultTime());
        ObjectNode users = root.putObject("users");
        users.set("ids", JSON.valueToTree(history.userIds()));
        ObjectNode values = users.putObject("query_values");
        model.userDefaults().forEach((column, v) -> values.set(column, JSON.valueToTree(v)));
        ObjectNode attributes = root.putObject("items").putObject("attributes");
        List<String> names = catalogue.attributeNames();
        for (int a = 0; a < names.size(); a++) {
            attributes.set(names.get(a), JSON.valueToTree(catalogue.attributeColumn(a)));
        }
        AtomicFiles.write(files.resolve(SERVING_JSON), out -> JSON.writeValue(out, root));
    }

    /** Loads the current version of {@code dir}, searching as saved or as {@code index} says when it is not null. */
    static Recommender load(Path dir, IndexSettings index) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelFileException(dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory")
                    + "; expected a model directory written by train --save");
        }
        Path files = AtomicFiles.currentVersion(dir);
        long version = files.equals(dir) ? 0 : Long.parseLong(files.getFileName().toString());
        JsonNode description = description(dir, files);
        String format = description.path("format").asText("");
        return switch (format) {
            case "embedrec-feature-model" -> readFeatureModel(files, description, version, index);
            case "embedrec-two-tower-model" -> PresetRecommenders.twoTower(files, description, version, index);
            case "embedrec-rating-model" -> PresetRecommenders.rating(files, description, version);
            case SequentialModelFiles.FORMAT -> PresetRecommenders.sequential(files, version, index);
            default -> throw new ModelFileException(files.resolve("model.json") + ": not an embedrec model (format is '"
                    + format + "'; expected embedrec-feature-model, embedrec-two-tower-model, embedrec-rating-model "
                    + "or " + SequentialModelFiles.FORMAT + ")");
        };
    }

    private static JsonNode description(Path dir, Path files) throws IOException {
        Path json = files.resolve("model.json");
        JsonNode root;
        try {
            root = JSON.readTree(FileSizeLimit.readUtf8(json, FileSizeLimit.DESCRIPTION_BYTES));
        } catch (NoSuchFileException e) {
            throw new ModelFileException(dir + ": not a saved model (no model.json)");
        } catch (FileSizeLimit.TooLarge e) {
            throw new ModelFileException(json + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ModelFileException(json + ": not valid JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new ModelFileException(json + ": not a model description (expected a JSON object)");
        }
        return root;
    }

    private static Recommender readFeatureModel(Path files, JsonNode description, long version, IndexSettings index)
            throws IOException {
        Path servingJson = files.resolve(SERVING_JSON);
        if (!Files.isRegularFile(servingJson)) {
            throw new ModelFileException(files + ": no " + SERVING_JSON + ": this model was saved without what "
                    + "answering queries needs (its catalogue embeddings, users and popularity); save it with "
                    + "train --spec ... --save DIR, or Recommender.save");
        }
        JsonNode serving;
        try {
            serving = JSON.readTree(FileSizeLimit.readUtf8(servingJson, FileSizeLimit.DESCRIPTION_BYTES));
        } catch (FileSizeLimit.TooLarge e) {
            throw new ModelFileException(servingJson + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ModelFileException(servingJson + ": not valid JSON: " + firstLine(e));
        }
        if (serving == null || !FORMAT.equals(serving.path("format").asText())) {
            throw new ModelFileException(servingJson + ": not an embedrec serving description (format is '"
                    + (serving == null ? "" : serving.path("format").asText()) + "', expected '" + FORMAT + "')");
        }
        int formatVersion = serving.path("format_version").asInt(-1);
        if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
            throw new ModelFileException(servingJson + ": format version " + formatVersion + ", this embedrec reads "
                    + "versions 1 to " + FORMAT_VERSION);
        }
        if (!serving.path("weights_crc32c").asText("").equals(description.path("weights_crc32c").asText("-"))) {
            throw new ModelFileException(servingJson + ": belongs to weights of checksum "
                    + serving.path("weights_crc32c").asText() + ", model.json to "
                    + description.path("weights_crc32c").asText() + "; files from two saves");
        }
        FeatureModelFiles.Loaded loaded = FeatureModelFiles.read(files);
        Path weightsFile = files.resolve(SERVING_WEIGHTS);
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(weightsFile);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(files + ": " + SERVING_WEIGHTS + " is missing");
        }
        if (!serving.path("serving_crc32c").asText("").equals(contents.checksum())) {
            throw new ModelFileException(weightsFile + ": checksum " + contents.checksum() + ", " + SERVING_JSON
                    + " was saved with " + serving.path("serving_crc32c").asText() + "; files from two saves");
        }
        try {
            int items = loaded.itemIds().size();
            int width = loaded.model().candidateTower().outputDim();
            float[] candidates = tensor(weightsFile, contents, CANDIDATES, items, width);
            List<String> users = strings(serving.path("users").path("ids"), SERVING_JSON + " users.ids");
            long[] latest = vector(weightsFile, contents.int64(), LATEST);
            UserHistory history = UserHistory.of(users, latest, vector(weightsFile, contents.int32(), SEEN_OFFSETS),
                    vector(weightsFile, contents.int32(), SEEN_ITEMS), items);
            RecentItems recent = new RecentItems(vector(weightsFile, contents.int32(), RECENT_OFFSETS),
                    vector(weightsFile, contents.int32(), RECENT_ITEMS));
            Map<String, String[]> defaults = columns(serving.path("users").path("query_values"),
                    SERVING_JSON + " users.query_values", false);
            Map<String, String[]> attributes = columns(serving.path("items").path("attributes"),
                    SERVING_JSON + " items.attributes", true);
            FeatureQueryModel model = new FeatureQueryModel(loaded.encoder(), loaded.model(), candidates, users,
                    latest, defaults, loaded.itemIds(), attributes);
            Catalogue catalogue = new Catalogue(loaded.itemIds(), attributes,
                    vector(weightsFile, contents.int64(), INTERACTIONS));
            IndexSettings settings = index != null ? index
                    : IndexSettings.fromJson(serving.path("index"), SERVING_JSON + " index");
            if (!serving.path("default_time").isIntegralNumber()) {
                throw new IllegalArgumentException(SERVING_JSON + " default_time: expected an integer");
            }
            TopKIndex saved = savedIndex(files, serving, settings, candidates, width);
            return new Recommender(model, catalogue, history, recent, serving.get("default_time").asLong(), settings,
                    version, loaded.provenance(), saved);
        } catch (ModelFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(files + ": damaged serving data: " + firstLine(e));
        }
    }

    /**
     * The saved HNSW graph when the model is searched with the parameters it was built with;
     * null otherwise (exact search, a version 1 directory, which saved no graph, or other
     * parameters asked for), and the recommender builds its index, deterministically.
     */
    private static TopKIndex savedIndex(Path files, JsonNode serving, IndexSettings settings, float[] candidates,
                                        int width) throws IOException {
        JsonNode file = serving.path("index_file");
        if (settings.kind() != IndexSettings.Kind.HNSW || file.isMissingNode() || candidates.length == 0) {
            return null;
        }
        if (!HnswGraphFiles.FILE.equals(file.path("name").asText()) || !file.path("crc32c").isTextual()) {
            throw new ModelFileException(files.resolve(SERVING_JSON) + ": index_file: expected {\"name\": \""
                    + HnswGraphFiles.FILE + "\", \"crc32c\": \"...\"}");
        }
        return HnswGraphFiles.read(files, file.get("crc32c").asText(), candidates, width, settings.hnsw());
    }

    static float[] tensor(Path file, SafeTensors.Contents contents, String name, int rows, int width) {
        Tensor t = contents.tensors().get(name);
        if (t == null) {
            throw new ModelFileException(file + ": no tensor '" + name + "'");
        }
        if (t.rank() != 2 || t.dim(0) != rows || t.dim(1) != width) {
            throw new ModelFileException(file + ": tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected [" + rows + ", " + width + "]");
        }
        return t.data();
    }

    static <T> T vector(Path file, Map<String, T> vectors, String name) {
        T v = vectors.get(name);
        if (v == null) {
            throw new ModelFileException(file + ": no integer vector '" + name + "' of the expected dtype");
        }
        return v;
    }

    /** An array of strings (not null). */
    private static List<String> strings(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + ": expected an array of strings");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException(where + "[" + out.size() + "]: expected a string");
            }
            out.add(n.asText());
        }
        return out;
    }

    /** An object of columns, each an array of strings (or nulls, when {@code nulls} allows them). */
    private static Map<String, String[]> columns(JsonNode node, String where, boolean nulls) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object of columns");
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException(where + "." + e.getKey() + ": expected an array");
            }
            String[] values = new String[e.getValue().size()];
            int i = 0;
            for (JsonNode v : e.getValue()) {
                if (!(v.isTextual() || nulls && v.isNull())) {
                    throw new IllegalArgumentException(where + "." + e.getKey() + "[" + i + "]: expected a string"
                            + (nulls ? " or null" : ""));
                }
                values[i++] = v.isNull() ? null : v.asText();
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    static String firstLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }
}
