package org.embedrec.io;

import static org.embedrec.io.ModelDescription.required;

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
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSpec;
import org.embedrec.features.TowerInput;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.tasks.LabelRange;

/**
 * A model trained from a feature spec, saved as a directory: {@code model.json} holds the spec,
 * the adapted preprocessing (vocabularies, boundaries, means), the catalogue's item ids, the
 * checksum of the weights, how the model was made and, for a squared-error rating task, the
 * training labels' range {@code "label_range": {"min", "max"}} that its predictions are clipped
 * to when scored and served (absent in a directory saved before it was kept: those serve
 * unclipped ratings, as they always did); {@code weights.safetensors} holds every
 * parameter by its path. Loading rebuilds the model from the spec and the preprocessing, so raw
 * feature values can be encoded and scored without the training data. Both are saved as one
 * version of the directory ({@link AtomicFiles#writeDirectory}), so a crash leaves the old
 * version or the new; the weights' checksum in {@code model.json} still refuses files put
 * together by hand from two saves.
 */
public final class FeatureModelFiles {
    public static final int FORMAT_VERSION = 1;
    static final String FORMAT = "embedrec-feature-model";
    /** The field of {@code model.json} holding a rating model's training label range ({@link LabelRange}). */
    static final String LABEL_RANGE = "label_range";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FeatureModelFiles() {
    }

    /** A loaded model: its preprocessing (with the spec), the model in inference mode, and the catalogue's item ids. */
    public record Loaded(FeatureEncoder encoder, FeatureModel model, List<String> itemIds, JsonNode provenance) {}

    /**
     * Saves {@code model}, adapted by {@code encoder}, with the catalogue {@code itemIds} and
     * {@code provenance}, as a new version of {@code dir} ({@link AtomicFiles#writeDirectory}).
     */
    public static void save(Path dir, FeatureEncoder encoder, FeatureModel model, List<String> itemIds,
                            Map<String, ?> provenance) throws IOException {
        LayerWeights.prepareDirectory(dir);
        AtomicFiles.writeDirectory(dir, files -> write(files, encoder, model, itemIds, provenance));
    }

    /**
     * Writes the two files of {@code model} into {@code dir}, an unpublished directory that a
     * caller saving more beside them fills inside its own {@link AtomicFiles#writeDirectory}.
     * Returns the weights' checksum, which {@code model.json} records, so that the caller's
     * files can record which weights they belong to.
     */
    public static String write(Path dir, FeatureEncoder encoder, FeatureModel model, List<String> itemIds,
                             Map<String, ?> provenance) throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        ObjectNode shapes = LayerWeights.collect(model, weights);
        String checksum = SafeTensors.write(dir.resolve(RatingModelFiles.WEIGHTS), weights,
                Map.of("format", "embedrec", "model", model.name()));
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("embedrec_version", EmbedrecVersion.CURRENT);
        root.put("weights_crc32c", checksum);
        root.set("spec", encoder.spec().toJson());
        root.set("preprocessing", encoder.toJson());
        root.set("item_ids", JSON.valueToTree(itemIds));
        LabelRange range = model.ranking() == null ? null : model.ranking().labelRange();
        if (range != null) {
            root.set(LABEL_RANGE, labelRangeJson(range));
        }
        root.set("parameters", shapes);
        root.set("provenance", JSON.valueToTree(provenance));
        AtomicFiles.write(dir.resolve(ModelDescription.FILE), out -> JSON.writeValue(out, root));
        return checksum;
    }

    /**
     * {@code {"min", "max"}}, each float widened to the double of the same value, so that reading
     * it back and narrowing gives the same float bit for bit.
     */
    private static ObjectNode labelRangeJson(LabelRange range) {
        ObjectNode o = JSON.createObjectNode();
        o.put("min", (double) range.min());
        o.put("max", (double) range.max());
        return o;
    }

    /**
     * The saved label range, or null for a model saved without one (a retrieval or binary model,
     * or one saved before the range was kept, whose ratings are then served unclipped).
     */
    static LabelRange labelRange(JsonNode root, Path json) {
        JsonNode node = root.get(LABEL_RANGE);
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode min = node.get("min");
        JsonNode max = node.get("max");
        if (min == null || max == null || !min.isNumber() || !max.isNumber()) {
            throw new ModelFileException(json + ": damaged model description: '" + LABEL_RANGE
                    + "' must be {\"min\": number, \"max\": number}, got " + node);
        }
        try {
            return new LabelRange((float) min.asDouble(), (float) max.asDouble());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(json + ": damaged model description: '" + LABEL_RANGE + "': " + e.getMessage());
        }
    }

    /**
     * Loads a directory written by {@link #save} (its current version, or a flat directory of an
     * older save); every mismatch is a {@link ModelFileException} naming the file.
     */
    public static Loaded load(Path saved) throws IOException {
        if (!Files.isDirectory(saved)) {
            throw new ModelFileException(saved + ": " + (Files.exists(saved) ? "not a directory" : "no such directory")
                    + "; expected a directory written by train --spec ... --save DIR");
        }
        return read(AtomicFiles.currentVersion(saved));
    }

    /** Reads the files {@link #write} wrote into {@code dir} (one version, already resolved). */
    public static Loaded read(Path dir) throws IOException {
        Path json = dir.resolve(ModelDescription.FILE);
        JsonNode root = ModelDescription.read(dir);
        String format = root == null ? "" : root.path("format").asText();
        if (!format.equals(FORMAT)) {
            throw new ModelFileException(json + ": not an embedrec feature model (format is '" + format
                    + "', expected '" + FORMAT + "')");
        }
        int version = root.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(json + ": format version " + version + ", this embedrec reads version "
                    + FORMAT_VERSION);
        }
        // The weights come first: their size bounds what the description may ask to allocate.
        Path weightsFile = dir.resolve(RatingModelFiles.WEIGHTS);
        SafeTensors.Contents contents = ModelDescription.checkedWeights(weightsFile, root);
        long stored = 0;
        for (Tensor t : contents.tensors().values()) {
            stored += t.size();
        }
        FeatureEncoder encoder;
        FeatureModel model;
        List<String> itemIds = new ArrayList<>();
        try {
            FeatureSpec spec = FeatureSpec.fromJson(required(root, "spec"), json + " spec");
            encoder = FeatureEncoder.fromJson(spec, required(root, "preprocessing"));
            for (JsonNode id : required(root, "item_ids")) {
                itemIds.add(id.asText());
            }
            long needed = floatsNeeded(encoder);
            if (needed > stored) {
                throw new ModelFileException(json + ": damaged model description: its spec needs at least " + needed
                        + " weights, " + weightsFile.getFileName() + " holds " + stored);
            }
            LabelRange range = labelRange(root, json);
            if (range != null && (spec.rating() == null || "binary_crossentropy".equals(spec.rating().loss()))) {
                throw new ModelFileException(json + ": damaged model description: '" + LABEL_RANGE + "' is given but "
                        + "the spec has no squared-error rating task to clip");
            }
            // The weights replace every initial value, so the seed does not matter here.
            model = range == null ? FeatureModels.build(encoder, 0f, new Rng(0))
                    : FeatureModels.build(encoder, 0f, range.min(), range.max(), new Rng(0));
        } catch (ModelFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(json + ": damaged model description: " + ModelDescription.firstLine(e));
        }
        LayerWeights.restore(model, weightsFile, contents.tensors());
        model.setTraining(false);
        return new Loaded(encoder, model, List.copyOf(itemIds), root.path("provenance"));
    }

    /**
     * A lower bound of the floats the model of {@code encoder} allocates: its embedding tables and
     * the weight matrices of its towers' and rating head's dense layers. Checked against the
     * weights file before building, so that a damaged dimension cannot claim gigabytes.
     */
    private static long floatsNeeded(FeatureEncoder encoder) {
        FeatureSpec spec = encoder.spec();
        long[] query = towerFloats(encoder.towerInputs(FeatureDefinition.QUERY), spec.queryTower().layers());
        long[] candidate = towerFloats(encoder.towerInputs(FeatureDefinition.CANDIDATE),
                spec.candidateTower().layers());
        long floats = saturatedSum(query[0], candidate[0]);
        if (spec.rating() != null) {
            floats = saturatedSum(floats, denseFloats(query[1] + candidate[1], spec.ratingHead().layers())[0]);
        }
        return floats;
    }

    /** {floats, output width} of a tower: its embedding tables, then its dense layers on their concatenation. */
    private static long[] towerFloats(List<TowerInput> inputs, List<Integer> layers) {
        long floats = 0;
        long width = 0;
        for (TowerInput in : inputs) {
            floats = saturatedSum(floats, (long) in.vocabularySize() * in.embeddingDim());
            width += in.width();
        }
        long[] dense = denseFloats(width, layers);
        return new long[] {saturatedSum(floats, dense[0]), dense[1]};
    }

    /** {floats, output width} of the weight matrices of dense {@code layers} on {@code width} inputs. */
    private static long[] denseFloats(long width, List<Integer> layers) {
        long floats = 0;
        for (int units : layers) {
            floats = saturatedSum(floats, width > Long.MAX_VALUE / Math.max(units, 1) ? Long.MAX_VALUE : width * units);
            width = units;
        }
        return new long[] {floats, width};
    }

    private static long saturatedSum(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
