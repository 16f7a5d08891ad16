package org.embedrec.io;

import static org.embedrec.io.ModelDescription.required;
import static org.embedrec.io.ModelDescription.strings;

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
import org.embedrec.data.IdMapping;
import org.embedrec.data.RatingsData;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.models.rating.RatingFeatureSpec;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.tasks.LabelRange;

/**
 * A saved rating model is a directory: {@code model.json} (format version, model name, its
 * configuration and feature schema, the raw user and item ids in dense-id order, the data set
 * it was trained on, the global bias and, when given, the training ratings' range
 * {@code "label_range": {"min", "max"}} that served predictions are clipped to) and {@code weights.safetensors} (every parameter by its
 * path), saved together as one version of the directory ({@link AtomicFiles#writeDirectory}), so a
 * reader never meets weights of one save beside the description of another.
 */
public final class RatingModelFiles {
    public static final int FORMAT_VERSION = 1;
    static final String MODEL_JSON = ModelDescription.FILE;
    static final String WEIGHTS = "weights.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RatingModelFiles() {}

    /**
     * A model read back, with the id vocabularies it was trained with and the training ratings'
     * range its served predictions are clipped to (null when saved without one).
     */
    public record Loaded(String name, RatingModelConfig config, RatingFeatureSpec spec, String dataName,
                         List<String> userIds, List<String> itemIds, RatingModel model, LabelRange labelRange) {}

    /** Saves the model, with no label range, as a new version of {@code dir} ({@link AtomicFiles#writeDirectory}). */
    public static void save(Path dir, String name, RatingModelConfig config, RatingFeatureSpec spec, RatingsData data,
                            RatingModel model) throws IOException {
        save(dir, name, config, spec, data, model, null);
    }

    /**
     * Saves the model as a new version of {@code dir}, with {@code labelRange}, the training
     * ratings' range (or null), that a recommender of it clips predicted ratings to.
     */
    public static void save(Path dir, String name, RatingModelConfig config, RatingFeatureSpec spec, RatingsData data,
                            RatingModel model, LabelRange labelRange) throws IOException {
        LayerWeights.prepareDirectory(dir);
        AtomicFiles.writeDirectory(dir, files -> write(files, name, config, spec, data, model, labelRange));
    }

    private static void write(Path dir, String name, RatingModelConfig config, RatingFeatureSpec spec,
                              RatingsData data, RatingModel model, LabelRange labelRange) throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        ObjectNode shapes = LayerWeights.collect(model, weights);
        SafeTensors.write(dir.resolve(WEIGHTS), weights, Map.of("format", "embedrec", "model", name));

        ObjectNode root = JSON.createObjectNode();
        root.put("format", "embedrec-rating-model");
        root.put("format_version", FORMAT_VERSION);
        root.put("embedrec_version", EmbedrecVersion.CURRENT);
        root.put("model", name);
        root.put("data", data.name());
        root.put("global_bias", model.globalBias());
        if (labelRange != null) {
            ObjectNode range = root.putObject(FeatureModelFiles.LABEL_RANGE);
            range.put("min", (double) labelRange.min());
            range.put("max", (double) labelRange.max());
        }
        root.set("config", JSON.valueToTree(config));
        root.set("spec", JSON.valueToTree(spec));
        root.set("user_ids", JSON.valueToTree(data.interactions().users().rawIds()));
        root.set("item_ids", JSON.valueToTree(data.interactions().items().rawIds()));
        root.set("parameters", shapes);
        AtomicFiles.write(dir.resolve(MODEL_JSON), out -> JSON.writeValue(out, root));
    }

    /**
     * Reads a saved model (its current version, or a flat directory of an older save); a
     * missing, damaged or foreign file fails with a message naming it.
     */
    public static Loaded load(Path saved) throws IOException {
        return read(AtomicFiles.currentVersion(saved));
    }

    /** Reads the files of one saved version, {@code dir} (already resolved by {@link AtomicFiles#currentVersion}). */
    public static Loaded read(Path dir) throws IOException {
        Path json = dir.resolve(MODEL_JSON);
        JsonNode root = ModelDescription.read(dir);
        if (root == null || !"embedrec-rating-model".equals(root.path("format").asText())) {
            throw new ModelFileException(json + ": not an embedrec rating model (format is '"
                    + (root == null ? "" : root.path("format").asText()) + "')");
        }
        int version = root.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(json + ": format version " + version + ", this embedrec reads version "
                    + FORMAT_VERSION);
        }
        String name = root.path("model").asText();
        LabelRange labelRange = FeatureModelFiles.labelRange(root, json);
        RatingModelConfig config;
        RatingFeatureSpec spec;
        List<String> users;
        List<String> items;
        try {
            config = JSON.treeToValue(root.get("config"), RatingModelConfig.class);
            spec = JSON.treeToValue(root.get("spec"), RatingFeatureSpec.class);
            users = strings(required(root, "user_ids"), "user_ids");
            items = strings(required(root, "item_ids"), "item_ids");
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new ModelFileException(json + ": damaged model description: " + e.getMessage());
        }
        if (config == null || spec == null) {
            throw new ModelFileException(json + ": damaged model description: '" + (config == null ? "config" : "spec")
                    + "' is missing");
        }
        ModelDescription.requireDistinct(json, "user_ids", users);
        ModelDescription.requireDistinct(json, "item_ids", items);
        RatingModel model;
        try {
            model = RatingModels.create(name, spec, config, new Rng(config.seed()));
        } catch (IllegalArgumentException e) {
            // An unknown model name, a negative size or tables beyond the heap: the description, not the user, is wrong.
            throw new ModelFileException(json + ": the model it describes cannot be built: " + e.getMessage());
        }
        model.setGlobalBias((float) root.path("global_bias").asDouble());
        Map<String, Tensor> weights;
        try {
            weights = SafeTensors.read(dir.resolve(WEIGHTS)).tensors();
        } catch (NoSuchFileException e) {
            throw new ModelFileException(dir + ": " + WEIGHTS + " is missing");
        }
        LayerWeights.restore(model, dir.resolve(WEIGHTS), weights);
        model.setTraining(false);
        return new Loaded(name, config, spec, root.path("data").asText(), users, items, model, labelRange);
    }

    /** Checks that {@code data} numbers users and items as the model does. */
    public static void requireSameIds(Loaded model, RatingsData data) {
        requireSame("user", model.userIds(), data.interactions().users());
        requireSame("item", model.itemIds(), data.interactions().items());
    }

    private static void requireSame(String what, List<String> saved, IdMapping now) {
        if (saved.size() != now.size()) {
            throw new IllegalArgumentException("the data has " + now.size() + " " + what + "s, the model was trained on "
                    + saved.size() + "; evaluate on the data set the model was trained on");
        }
        for (int i = 0; i < saved.size(); i++) {
            if (!saved.get(i).equals(now.rawId(i))) {
                throw new IllegalArgumentException("the data's " + what + " ids differ from the model's (dense id " + i
                        + " is '" + now.rawId(i) + "' here, '" + saved.get(i) + "' in the model)");
            }
        }
    }
}
