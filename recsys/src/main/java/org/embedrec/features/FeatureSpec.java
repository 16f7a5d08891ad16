package org.embedrec.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.io.FileSizeLimit;

/**
 * A model described in JSON: which columns of the user's data are the user, the item, the
 * label and the time; each feature, its preprocessing, embedding and tower; each tower's dense
 * layers; the rating head; the tasks and their loss weights; and the training settings. The
 * file format is documented in the README ("Bring your own features"); {@link #read} checks
 * every field and reports every mistake at once ({@link SpecException}), and {@link #toJson}
 * writes every field explicitly, so a spec read back from its JSON is equal to itself.
 */
public record FeatureSpec(Data data, List<FeatureDefinition> features, List<CrossDefinition> crosses,
                          Tower queryTower, Tower candidateTower, RatingHead ratingHead, Wide wide,
                          RetrievalTask retrieval, RatingTask rating, Training training) {

    public FeatureSpec {
        features = List.copyOf(features);
        crosses = List.copyOf(crosses);
    }

    /** A spec without a wide part. */
    public FeatureSpec(Data data, List<FeatureDefinition> features, List<CrossDefinition> crosses,
                       Tower queryTower, Tower candidateTower, RatingHead ratingHead,
                       RetrievalTask retrieval, RatingTask rating, Training training) {
        this(data, features, crosses, queryTower, candidateTower, ratingHead, null, retrieval, rating, training);
    }

    /**
     * Where the data's roles are: the user and item id columns (required), the label (for a
     * rating task), the timestamp and a per-example weight (optional); an item table and a user
     * table (optional, CSV files with a header) joined on their {@code id} columns.
     */
    public record Data(String user, String item, String label, String timestamp, String weight,
                       Table items, Table users) {}

    /** A side table: a CSV file (relative to the spec file) and its id column. */
    public record Table(String path, String id) {}

    /** A tower's dense layers after its concatenated features (relu on all but the last); empty for none. */
    public record Tower(List<Integer> layers) {
        public Tower {
            layers = List.copyOf(layers);
        }
    }

    /**
     * The rating head over the two towers' outputs, of one of two kinds. {@code "concat"}: the
     * outputs concatenated, {@code crossLayers} DCN-v2 cross layers (low rank when
     * {@code projectionDim > 0}), dense relu layers, one output; with {@code dropout > 0}, dropout
     * of that rate after the crosses and after each dense layer. {@code "dot"}: the dot product
     * of the two outputs, then {@code layers} as a relu MLP over that one number which starts as
     * the identity map (biased matrix factorisation with a learned bend), or, when {@code layers}
     * is empty, the mean training label held fixed (matrix factorisation's global mean). Either
     * kind drops each tower's output at rate {@code inputDropout} while training.
     */
    public record RatingHead(String kind, int crossLayers, int projectionDim, List<Integer> layers,
                             double inputDropout, double dropout) {
        public static final String CONCAT = "concat";
        public static final String DOT = "dot";

        public RatingHead {
            layers = List.copyOf(layers);
        }

        /** A concat head without input dropout. */
        public RatingHead(int crossLayers, int projectionDim, List<Integer> layers, double dropout) {
            this(CONCAT, crossLayers, projectionDim, layers, 0.0, dropout);
        }

        /** A concat head without dropout. */
        public RatingHead(int crossLayers, int projectionDim, List<Integer> layers) {
            this(crossLayers, projectionDim, layers, 0.0);
        }

        public boolean dot() {
            return DOT.equals(kind);
        }
    }

    /**
     * The wide part of the rating task (Cheng et al. 2016): a linear model added to the head's
     * prediction, one learned weight per id of each of {@code features} (summed over a list's or
     * text's ids) and per hashed id of each cross; the weights start at zero. With features such
     * as the user and item ids it holds the per-user and per-item biases of biased matrix
     * factorisation. Its weights are trained by {@code optimizer} at {@code learningRate} when
     * given (FTRL, as Wide &amp; Deep does), otherwise by the training optimizer (null and 0 say
     * "as {@code training}"). With {@code pretrainEpochs > 0}, training first fits the wide part
     * alone, then the rest over the fixed wide part, that many epochs each, then both jointly.
     */
    public record Wide(List<String> features, List<WideCross> crosses, String optimizer, double learningRate,
                       int pretrainEpochs) {
        public Wide {
            features = List.copyOf(features);
            crosses = List.copyOf(crosses);
        }

        /** True when the wide weights have an optimizer or learning rate of their own. */
        public boolean ownOptimizer() {
            return optimizer != null || learningRate > 0;
        }
    }

    /**
     * A crossed feature of the wide part: the pair of two features' ids (from either tower; at
     * most one a list or text, crossed id by id) hashed into {@code buckets}.
     */
    public record WideCross(String name, List<String> features, int buckets) {
        public WideCross {
            features = List.copyOf(features);
        }
    }


    /**
     * The retrieval task and its loss weight: {@code loss} {@code "softmax"} (in-batch softmax,
     * with the row's hard negatives from the data column {@code negatives} appended when given)
     * or {@code "bpr"} (Bayesian personalised ranking against one negative per row: the first
     * of the row's {@code negatives}, or an item drawn uniformly from the catalogue).
     * {@code sampledNegatives} N &gt; 0 appends N catalogue items, drawn uniformly without
     * replacement for each batch and shared by its rows, to the softmax's columns (the two-tower
     * preset's {@code --negatives N}); with log-q correction each item's probability is then that
     * of the mixture of the batch's positives and the uniform draws (see
     * {@link org.embedrec.models.FeatureTask}).
     */
    public record RetrievalTask(double weight, double temperature, boolean logQ, boolean removeAccidentalHits,
                                String loss, String negatives, int sampledNegatives) {
        public static final String SOFTMAX = "softmax";
        public static final String BPR = "bpr";

        public RetrievalTask {
            if (sampledNegatives < 0) {
                throw new IllegalArgumentException("sampledNegatives " + sampledNegatives + ", expected >= 0");
            }
        }

        /** A task without sampled negatives. */
        public RetrievalTask(double weight, double temperature, boolean logQ, boolean removeAccidentalHits,
                             String loss, String negatives) {
            this(weight, temperature, logQ, removeAccidentalHits, loss, negatives, 0);
        }

        /** An in-batch softmax task without hard or sampled negatives. */
        public RetrievalTask(double weight, double temperature, boolean logQ, boolean removeAccidentalHits) {
            this(weight, temperature, logQ, removeAccidentalHits, SOFTMAX, null);
        }
    }

    /** The rating task ({@code "mse"} or {@code "binary_crossentropy"}) and its loss weight. */
    public record RatingTask(double weight, String loss) {}

    /**
     * Training defaults; command-line flags override them. {@code l2} is the lazy L2 strength on
     * the embeddings a batch looks up; with {@code l2Weighting} {@code "sqrt_frequency"} each
     * looked-up row's term is divided by the square root of how often its id occurs in the
     * training rows (the weighted trace norm of Srebro and Salakhutdinov), {@code "uniform"}
     * otherwise.
     */
    public record Training(String optimizer, double learningRate, int batchSize, int epochs, int validationFreq,
                           double l2, String l2Weighting) {
        public static final String UNIFORM = "uniform";
        public static final String SQRT_FREQUENCY = "sqrt_frequency";

        /** Training with uniformly weighted L2. */
        public Training(String optimizer, double learningRate, int batchSize, int epochs, int validationFreq,
                        double l2) {
            this(optimizer, learningRate, batchSize, epochs, validationFreq, l2, UNIFORM);
        }

        /** Training without L2. */
        public Training(String optimizer, double learningRate, int batchSize, int epochs, int validationFreq) {
            this(optimizer, learningRate, batchSize, epochs, validationFreq, 0.0);
        }
    }

    /** Reads and checks the spec file {@code file}. */
    public static FeatureSpec read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SpecException("spec " + file, List.of((Files.exists(file) ? "not a file" : "no such file")
                    + "; expected a JSON feature spec, or one of the presets " + String.join(", ", PRESETS)));
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(FileSizeLimit.readUtf8(file, FileSizeLimit.SPEC_BYTES));
        } catch (FileSizeLimit.TooLarge e) {
            throw new SpecException("spec " + file, List.of(e.getMessage() + "; expected a JSON feature spec"));
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j
                    ? j.getOriginalMessage() + " at line " + j.getLocation().getLineNr() : e.toString();
            throw new SpecException("spec " + file, List.of("not readable JSON: " + why));
        }
        return SpecReader.read(root, "spec " + file);
    }

    /**
     * The specs shipped with embedrec, by name: {@code two-tower} (the TensorFlow Recommenders
     * deep retrieval tutorial with one dense layer per tower: user id and timestamp against
     * movie title and title words) and {@code two-tower-deep} (layers 64, 32); and the rating
     * models on a {@code user_id, item_id, rating} table: {@code mf} (biased matrix factorisation:
     * a dot head, the ids' biases as the wide part, frequency-weighted L2), {@code dot-mlp} (the
     * dot product through an MLP that starts as the identity), {@code ncf-mlp} (neural
     * collaborative filtering's MLP over the concatenated embeddings) and {@code wide-deep} (Wide
     * &amp; Deep over the ids, the user's occupation, gender and age and the item's genres, with
     * user x genre and occupation x genre crosses in the wide part, trained by FTRL); and {@code dcn}
     * (DCN-v2: the ids, occupation, gender, age, genres and release year concatenated, two full-rank
     * cross layers and relu layers 64, 32, the ids' biases as the wide part).
     */
    public static final List<String> PRESETS = List.of("two-tower", "two-tower-deep", "mf", "dot-mlp", "ncf-mlp",
            "wide-deep", "dcn");

    /** The preset {@code name} (one of {@link #PRESETS}). */
    public static FeatureSpec preset(String name) {
        if (!PRESETS.contains(name)) {
            throw new IllegalArgumentException("no preset spec '" + name + "'; the presets are "
                    + String.join(", ", PRESETS));
        }
        try (java.io.InputStream in = FeatureSpec.class.getResourceAsStream("presets/" + name + ".json")) {
            return fromJson(new ObjectMapper().readTree(in), "preset " + name);
        } catch (IOException e) {
            throw new UncheckedIOException("preset " + name + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Reads and checks a spec from its JSON; {@code source} names it in messages. */
    public static FeatureSpec fromJson(JsonNode root, String source) {
        return SpecReader.read(root, source);
    }

    /** The feature named {@code name}, or null. */
    public FeatureDefinition feature(String name) {
        for (FeatureDefinition f : features) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The features of one tower, in spec order. */
    public List<FeatureDefinition> features(String tower) {
        List<FeatureDefinition> out = new ArrayList<>();
        for (FeatureDefinition f : features) {
            if (f.tower().equals(tower)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The crosses of one tower (the tower of their first feature), in spec order. */
    public List<CrossDefinition> crosses(String tower) {
        List<CrossDefinition> out = new ArrayList<>();
        for (CrossDefinition c : crosses) {
            if (feature(c.features().get(0)).tower().equals(tower)) {
                out.add(c);
            }
        }
        return out;
    }

    /** This spec without the feature {@code name} (and without crosses that use it). */
    public FeatureSpec withoutFeature(String name) {
        List<FeatureDefinition> kept = new ArrayList<>();
        for (FeatureDefinition f : features) {
            if (!f.name().equals(name)) {
                kept.add(f);
            }
        }
        if (kept.size() == features.size()) {
            throw new IllegalArgumentException("the spec has no feature '" + name + "'");
        }
        List<CrossDefinition> keptCrosses = new ArrayList<>();
        for (CrossDefinition c : crosses) {
            if (!c.features().contains(name)) {
                keptCrosses.add(c);
            }
        }
        Wide keptWide = wide == null ? null : new Wide(wide.features().stream().filter(f -> !f.equals(name)).toList(),
                wide.crosses().stream().filter(c -> !c.features().contains(name)).toList(), wide.optimizer(),
                wide.learningRate(), wide.pretrainEpochs());
        return new FeatureSpec(data, kept, keptCrosses, queryTower, candidateTower, ratingHead, keptWide, retrieval,
                rating, training);
    }

    /** This spec with other training settings. */
    public FeatureSpec withTraining(Training value) {
        return new FeatureSpec(data, features, crosses, queryTower, candidateTower, ratingHead, wide, retrieval, rating,
                value);
    }

    /** The spec with every field explicit, in the file format {@link #read} reads. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode d = root.putObject("data");
        d.put("user", data.user());
        d.put("item", data.item());
        putNullable(d, "label", data.label());
        putNullable(d, "timestamp", data.timestamp());
        putNullable(d, "weight", data.weight());
        putTable(d, "items", data.items());
        putTable(d, "users", data.users());
        features.forEach(x -> root.withArray("features").add(x.toJson()));
        root.putArray("crosses");
        crosses.forEach(x -> root.withArray("crosses").add(x.toJson()));
        ObjectNode towers = root.putObject("towers");
        queryTower.layers().forEach(towers.putObject("query").putArray("layers")::add);
        candidateTower.layers().forEach(towers.putObject("candidate").putArray("layers")::add);
        ObjectNode tasks = root.putObject("tasks");
        if (retrieval != null) {
            ObjectNode r = tasks.putObject("retrieval");
            r.put("weight", retrieval.weight());
            r.put("temperature", retrieval.temperature());
            r.put("log_q", retrieval.logQ());
            r.put("remove_accidental_hits", retrieval.removeAccidentalHits());
            r.put("loss", retrieval.loss());
            if (retrieval.negatives() != null) {
                r.put("negatives", retrieval.negatives());
            }
            if (retrieval.sampledNegatives() > 0) {
                // Only when drawn, so a spec without them keeps the form (and fingerprint) it had.
                r.put("sampled_negatives", retrieval.sampledNegatives());
            }
        }
        if (rating != null) {
            ObjectNode r = tasks.putObject("rating");
            r.put("weight", rating.weight());
            r.put("loss", rating.loss());
            ObjectNode h = r.putObject("head");
            h.put("kind", ratingHead.kind());
            if (!ratingHead.dot()) {
                h.put("cross_layers", ratingHead.crossLayers());
                h.put("projection_dim", ratingHead.projectionDim());
            }
            ratingHead.layers().forEach(h.putArray("layers")::add);
            h.put("input_dropout", ratingHead.inputDropout());
            if (!ratingHead.dot()) {
                h.put("dropout", ratingHead.dropout());
            }
            if (wide != null) {
                putWide(r.putObject("wide"));
            }
        }
        ObjectNode t = root.putObject("training");
        t.put("optimizer", training.optimizer());
        t.put("lr", training.learningRate());
        t.put("batch_size", training.batchSize());
        t.put("epochs", training.epochs());
        t.put("validation_freq", training.validationFreq());
        t.put("l2", training.l2());
        t.put("l2_weighting", training.l2Weighting());
        return root;
    }

    private void putWide(ObjectNode w) {
        wide.features().forEach(w.putArray("features")::add);
        ArrayNode crossList = w.putArray("crosses");
        for (WideCross c : wide.crosses()) {
            ObjectNode o = crossList.addObject();
            o.put("name", c.name());
            c.features().forEach(o.putArray("features")::add);
            o.put("buckets", c.buckets());
        }
        if (wide.optimizer() != null) {
            w.put("optimizer", wide.optimizer());
        }
        if (wide.learningRate() > 0) {
            w.put("lr", wide.learningRate());
        }
        w.put("pretrain_epochs", wide.pretrainEpochs());
    }

    /** The spec as pretty-printed JSON text. */
    public String toJsonString() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putNullable(ObjectNode o, String key, String value) {
        if (value == null) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }

    private static void putTable(ObjectNode o, String key, Table table) {
        if (table == null) {
            o.putNull(key);
        } else {
            ObjectNode t = o.putObject(key);
            t.put("path", table.path());
            t.put("id", table.id());
        }
    }
}
