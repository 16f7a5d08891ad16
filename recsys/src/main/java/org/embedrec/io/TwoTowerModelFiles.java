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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.CandidateFeatures;
import org.embedrec.features.QueryFeatures;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.recommend.UserHistory;
import org.embedrec.models.retrieval.CandidateCatalogue;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.retrieval.TwoTowerModel;

/**
 * A saved two-tower model is a directory holding everything recommending needs, so that
 * {@code recommend} reads no training data and embeds no candidate:
 *
 * <ul>
 *   <li>{@code model.json}: format and version, how the model was made (data set, split,
 *       configuration), both towers' preprocessing (user vocabulary, timestamp boundaries and
 *       normalisation, title vocabulary and title-word vocabulary), the catalogue (raw item ids
 *       and titles in row order), the users with training interactions in history row order,
 *       each weight's shape, and the CRC-32C of the weights file it belongs to;
 *   <li>{@code weights.safetensors}: every parameter by its path ({@code query_tower/...},
 *       {@code candidate_tower/...}), the catalogue's candidate embeddings
 *       ({@value #CANDIDATE_EMBEDDINGS}, {@code [items, width]}), and the users' history
 *       ({@value #LATEST_TIMESTAMPS} I64, {@value #SEEN_OFFSETS} and {@value #SEEN_ITEMS} I32:
 *       see {@link UserHistory}).
 * </ul>
 *
 * <p>Both are saved as one version of the directory ({@link AtomicFiles#writeDirectory}); the
 * weights' checksum recorded in {@code model.json} also tells on loading whether the two files
 * were saved together (files copied by hand from two models would otherwise pass every shape
 * check when the shapes agree).
 */
public final class TwoTowerModelFiles {
    public static final int FORMAT_VERSION = 1;
    static final String FORMAT = "embedrec-two-tower-model";
    static final String MODEL_JSON = ModelDescription.FILE;
    static final String WEIGHTS = RatingModelFiles.WEIGHTS;
    static final String CANDIDATE_EMBEDDINGS = "catalogue/candidate_embeddings";
    static final String LATEST_TIMESTAMPS = "users/latest_timestamp";
    static final String SEEN_OFFSETS = "users/seen_offsets";
    static final String SEEN_ITEMS = "users/seen_items";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TwoTowerModelFiles() {}

    /** A saved model read back: what recommends, and what it was trained on. */
    public record Loaded(TwoTowerRecommender recommender, String dataName, String split) {}

    /**
     * Saves the recommender's model, catalogue, candidate embeddings and user history;
     * {@code dataName} and {@code split} record what it was trained on.
     */
    public static void save(Path dir, TwoTowerRecommender recommender, String dataName, String split) throws IOException {
        LayerWeights.prepareDirectory(dir);
        AtomicFiles.writeDirectory(dir, files -> write(files, recommender, dataName, split));
    }

    private static void write(Path dir, TwoTowerRecommender recommender, String dataName, String split)
            throws IOException {
        TwoTowerModel model = recommender.model();
        CandidateCatalogue catalogue = recommender.catalogue();
        UserHistory history = recommender.history();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        ObjectNode shapes = LayerWeights.collect(model, weights);
        weights.put(CANDIDATE_EMBEDDINGS, Tensor.wrap(recommender.candidateEmbeddings(), catalogue.size(),
                model.embeddingWidth()));
        String checksum = SafeTensors.write(dir.resolve(WEIGHTS), weights,
                Map.of(SEEN_OFFSETS, history.offsets(), SEEN_ITEMS, history.items()),
                Map.of(LATEST_TIMESTAMPS, history.latestTimestamps()),
                Map.of("format", "embedrec", "model", "two-tower"));

        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("embedrec_version", EmbedrecVersion.CURRENT);
        root.put("model", "two-tower");
        root.put("data", dataName);
        root.put("split", split);
        root.set("config", JSON.valueToTree(model.config()));
        root.set("query_features", model.queryFeatures().toJson());
        root.set("candidate_features", model.candidateFeatures().toJson());
        ObjectNode items = root.putObject("catalogue");
        items.set("item_ids", JSON.valueToTree(catalogue.itemIds()));
        items.set("titles", JSON.valueToTree(catalogue.titles()));
        root.set("users", JSON.valueToTree(history.userIds()));
        root.set("parameters", shapes);
        root.put("weights_crc32c", checksum);
        AtomicFiles.write(dir.resolve(MODEL_JSON), out -> JSON.writeValue(out, root));
    }

    /**
     * Reads a saved two-tower model. A missing directory or file, a rating model, a foreign or
     * damaged file, or weights that do not belong to the description fail with a
     * {@link ModelFileException} naming the file and what is wrong.
     */
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
        JsonNode root = description(dir, json);
        TwoTowerConfig config;
        QueryFeatures queryFeatures;
        CandidateFeatures candidateFeatures;
        List<String> itemIds;
        List<String> titles;
        List<String> users;
        try {
            config = JSON.treeToValue(required(root, "config"), TwoTowerConfig.class);
            queryFeatures = QueryFeatures.fromJson(required(root, "query_features"));
            candidateFeatures = CandidateFeatures.fromJson(required(root, "candidate_features"));
            itemIds = strings(required(required(root, "catalogue"), "item_ids"), "catalogue.item_ids");
            titles = strings(required(required(root, "catalogue"), "titles"), "catalogue.titles");
            users = strings(required(root, "users"), "users");
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFileException(json + ": damaged model description: " + ModelDescription.firstLine(e));
        }
        ModelDescription.requireDistinct(json, "users", users);
        ModelDescription.requireDistinct(json, "catalogue.item_ids", itemIds);
        TwoTowerModel model;
        CandidateCatalogue catalogue;
        try {
            model = new TwoTowerModel(queryFeatures, candidateFeatures, config, new Rng(config.seed()));
            catalogue = CandidateCatalogue.of(itemIds, titles.toArray(String[]::new), candidateFeatures);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(json + ": damaged model description: " + ModelDescription.firstLine(e));
        }

        Path weightsFile = dir.resolve(WEIGHTS);
        SafeTensors.Contents contents = ModelDescription.checkedWeights(weightsFile, root);
        Map<String, Tensor> weights = contents.tensors();
        LayerWeights.restore(model, weightsFile, weights);
        model.setTraining(false);
        float[] embeddings = LayerWeights.tensor(weightsFile, weights, CANDIDATE_EMBEDDINGS,
                new int[] {catalogue.size(), model.embeddingWidth()}).data();
        UserHistory history;
        try {
            history = UserHistory.of(users, vector(weightsFile, contents.int64(), LATEST_TIMESTAMPS),
                    vector(weightsFile, contents.int32(), SEEN_OFFSETS),
                    vector(weightsFile, contents.int32(), SEEN_ITEMS), catalogue.size());
        } catch (IllegalArgumentException e) {
            if (e instanceof ModelFileException) {
                throw e;
            }
            throw new ModelFileException(weightsFile + ": " + e.getMessage());
        }
        TwoTowerRecommender recommender = TwoTowerRecommender.of(model, catalogue, embeddings, history);
        return new Loaded(recommender, root.path("data").asText(), root.path("split").asText());
    }

    /** The parsed {@code model.json}, after checking that it describes a two-tower model of a version we read. */
    private static JsonNode description(Path dir, Path json) throws IOException {
        JsonNode root = ModelDescription.read(dir);
        String format = root == null ? "" : root.path("format").asText();
        if (format.equals("embedrec-rating-model")) {
            throw new ModelFileException(dir + " holds a rating model ('" + root.path("model").asText()
                    + "'); recommending needs a two-tower model (train --model two-tower --save DIR)");
        }
        if (!format.equals(FORMAT)) {
            throw new ModelFileException(json + ": not an embedrec two-tower model (format is '" + format
                    + "', expected '" + FORMAT + "')");
        }
        int version = root.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(json + ": format version " + version + ", this embedrec reads version "
                    + FORMAT_VERSION);
        }
        return root;
    }
}
