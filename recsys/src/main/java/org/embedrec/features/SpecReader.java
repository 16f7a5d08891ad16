package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@link FeatureSpec} from its JSON tree, filling defaults and collecting every mistake
 * with the path of the field it is in, so that one run of a broken spec lists all of them.
 */
final class SpecReader extends SpecFields {

    private SpecReader() {}

    static FeatureSpec read(JsonNode root, String source) {
        SpecReader r = new SpecReader();
        FeatureSpec spec = r.spec(root);
        if (!r.problems.isEmpty()) {
            throw new SpecException(source, r.problems);
        }
        return spec;
    }

    private FeatureSpec spec(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add("expected a JSON object at the top");
            return null;
        }
        known(root, "", "data", "features", "crosses", "towers", "tasks", "training");
        FeatureSpec.Data data = data(object(root, "data", "", true));
        List<FeatureDefinition> features = features(root.get("features"));
        List<CrossDefinition> crosses = crosses(root.get("crosses"), features);
        JsonNode towers = object(root, "towers", "", false);
        known(towers, "towers.", "query", "candidate");
        FeatureSpec.Tower query = tower(towers, "query");
        FeatureSpec.Tower candidate = tower(towers, "candidate");
        JsonNode tasks = object(root, "tasks", "", true);
        known(tasks, "tasks.", "retrieval", "rating");
        FeatureSpec.RetrievalTask retrieval = retrieval(object(tasks, "retrieval", "tasks.", false));
        RatingTaskReader ratingReader = new RatingTaskReader();
        RatingTaskReader.Read ratingTask = ratingReader.read(object(tasks, "rating", "tasks.", false), features);
        problems.addAll(ratingReader.problems);
        FeatureSpec.RatingTask rating = ratingTask.task();
        FeatureSpec.RatingHead head = ratingTask.head();
        FeatureSpec.Wide wide = ratingTask.wide();
        if (tasks != null && retrieval == null && rating == null) {
            problems.add("tasks: expected \"retrieval\", \"rating\" or both");
        }
        if ((retrieval != null || rating != null) && (retrieval == null || retrieval.weight() == 0)
                && (rating == null || rating.weight() == 0)) {
            problems.add("tasks: every task has weight 0; give at least one a positive weight");
        }
        if (wide != null && wide.pretrainEpochs() > 0 && retrieval != null) {
            problems.add("tasks.rating.wide.pretrain_epochs: pre-training the wide part is for a rating model alone; "
                    + "drop it or the retrieval task");
        }
        if (rating != null && data != null && data.label() == null) {
            problems.add("data.label: the rating task needs a label column");
        }
        FeatureSpec.Training training = training(object(root, "training", "", false));
        checkTowers(features, crosses, query, candidate, retrieval != null, head);
        if (!problems.isEmpty()) {
            return null;
        }
        return new FeatureSpec(data, features, crosses, query, candidate, head, wide, retrieval, rating, training);
    }

    private FeatureSpec.Data data(JsonNode d) {
        if (d == null) {
            return null;
        }
        known(d, "data.", "user", "item", "label", "timestamp", "weight", "items", "users");
        String user = text(d, "user", "data.", null);
        String item = text(d, "item", "data.", null);
        if (user == null) {
            problems.add("data.user: expected the name of the user id column");
        }
        if (item == null) {
            problems.add("data.item: expected the name of the item id column");
        }
        return new FeatureSpec.Data(user, item, text(d, "label", "data.", null), text(d, "timestamp", "data.", null),
                text(d, "weight", "data.", null), table(d, "items"), table(d, "users"));
    }

    private FeatureSpec.Table table(JsonNode d, String key) {
        JsonNode t = object(d, key, "data.", false);
        if (t == null) {
            return null;
        }
        String at = "data." + key + ".";
        known(t, at, "path", "id");
        String path = text(t, "path", at, null);
        String id = text(t, "id", at, null);
        if (path == null) {
            problems.add(at + "path: expected the table's CSV file");
        }
        if (id == null) {
            problems.add(at + "id: expected the name of the table's id column");
        }
        return new FeatureSpec.Table(path, id);
    }

    private List<FeatureDefinition> features(JsonNode array) {
        List<FeatureDefinition> out = new ArrayList<>();
        if (array == null || !array.isArray() || array.isEmpty()) {
            problems.add("features: expected a non-empty array of features");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            FeatureDefinition f = feature(array.get(i), "features[" + i + "]");
            if (f != null && !names.add(f.name())) {
                problems.add("features[" + i + "].name: '" + f.name() + "' is used by an earlier feature");
            } else if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    private FeatureDefinition feature(JsonNode f, String at) {
        if (!f.isObject()) {
            problems.add(at + ": expected an object");
            return null;
        }
        known(f, at + ".", "name", "column", "kind", "tower", "embedding_dim", "oov_buckets", "max_tokens",
                "hash_bins", "separator", "max_length", "pooling", "normalize", "discretize", "init_stddev",
                "adapt_on");
        String name = text(f, "name", at + ".", null);
        if (name == null || name.isBlank()) {
            problems.add(at + ".name: expected a non-empty name");
            return null;
        }
        String where = at + " ('" + name + "')";
        String kindName = text(f, "kind", where + ".", null);
        FeatureKind kind = kindName == null ? null : FeatureKind.byJsonName(kindName);
        if (kind == null) {
            problems.add(where + ".kind: expected one of string, integer, numeric, timestamp, text, list; got "
                    + (kindName == null ? "nothing" : "'" + kindName + "'"));
            return null;
        }
        String tower = text(f, "tower", where + ".", null);
        if (!FeatureDefinition.QUERY.equals(tower) && !FeatureDefinition.CANDIDATE.equals(tower)) {
            problems.add(where + ".tower: expected \"query\" or \"candidate\"; got "
                    + (tower == null ? "nothing" : "'" + tower + "'"));
        }
        FeatureDefinition.Discretize discretize = kind.numeric() ? discretize(f.get("discretize"), where) : null;
        if (!kind.numeric() && f.has("discretize")) {
            problems.add(where + ".discretize: only numeric and timestamp features are bucketed");
        }
        boolean normalize = bool(f, "normalize", where + ".", kind.numeric());
        if (!kind.numeric() && f.has("normalize")) {
            problems.add(where + ".normalize: only numeric and timestamp features are normalised");
        }
        if (kind.numeric() && !normalize && discretize == null) {
            problems.add(where + ": a numeric feature needs normalize true, a discretize, or both");
        }
        boolean embedded = !kind.numeric() || discretize != null;
        int dim = integer(f, "embedding_dim", where + ".", embedded ? 32 : 0, embedded ? 1 : 0);
        int hashBins = integer(f, "hash_bins", where + ".", 0, 0);
        if (hashBins > 0 && !kind.categorical()) {
            problems.add(where + ".hash_bins: only string and integer features are hashed");
        }
        String separator = text(f, "separator", where + ".", "|");
        if (kind == FeatureKind.LIST && separator.isEmpty()) {
            problems.add(where + ".separator: expected a non-empty separator");
        }
        String pooling = text(f, "pooling", where + ".", "mean");
        boolean ordered = pooling.equals("gru") || pooling.equals("attention");
        if (!pooling.equals("mean") && !pooling.equals("sum") && !ordered) {
            problems.add(where + ".pooling: expected \"mean\", \"sum\", \"gru\" or \"attention\"; got '" + pooling
                    + "'");
        } else if (ordered && !kind.bag()) {
            problems.add(where + ".pooling: \"" + pooling + "\" reads the entries of a text or list feature in order; "
                    + "this one is " + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        double initStddev = positive(f, "init_stddev", where + ".", 0.0);
        if (!embedded && f.has("init_stddev")) {
            problems.add(where + ".init_stddev: only an embedded feature has initial values; this one is fed as "
                    + "its normalised value");
        }
        String adaptOn = text(f, "adapt_on", where + ".", FeatureDefinition.ADAPT_ON_TRAINING);
        boolean catalogue = adaptOn.equals(FeatureDefinition.ADAPT_ON_CATALOGUE);
        if (!catalogue && !adaptOn.equals(FeatureDefinition.ADAPT_ON_TRAINING)) {
            problems.add(where + ".adapt_on: expected \"training\" or \"catalogue\"; got '" + adaptOn + "'");
        } else if (catalogue && !FeatureDefinition.CANDIDATE.equals(tower)) {
            problems.add(where + ".adapt_on: only a candidate feature can adapt on the catalogue; a query feature "
                    + "adapts on the training rows");
        }
        return new FeatureDefinition(name, text(f, "column", where + ".", name), kind, tower, dim,
                integer(f, "oov_buckets", where + ".", 1, 1), integer(f, "max_tokens", where + ".", 0, 0),
                hashBins, separator, integer(f, "max_length", where + ".", 16, 1), pooling, normalize, discretize,
                initStddev, adaptOn);
    }

    private FeatureDefinition.Discretize discretize(JsonNode d, String where) {
        if (d == null || d.isNull()) {
            return null;
        }
        String at = where + ".discretize.";
        if (!d.isObject()) {
            problems.add(where + ".discretize: expected an object such as {\"bins\": 10}");
            return null;
        }
        known(d, at, "bins", "method", "boundaries");
        JsonNode b = d.get("boundaries");
        if (b != null) {
            List<Double> boundaries = new ArrayList<>();
            if (!b.isArray() || b.isEmpty()) {
                problems.add(at + "boundaries: expected a non-empty array of increasing numbers");
                return null;
            }
            for (int i = 0; i < b.size(); i++) {
                if (!b.get(i).isNumber() || (i > 0 && b.get(i).asDouble() <= b.get(i - 1).asDouble())) {
                    problems.add(at + "boundaries[" + i + "]: expected a number above the one before");
                    return null;
                }
                boundaries.add(b.get(i).asDouble());
            }
            return new FeatureDefinition.Discretize(boundaries.size() + 1, "boundaries", boundaries);
        }
        int bins = integer(d, "bins", at, 10, 2);
        String method = text(d, "method", at, FeatureDefinition.Discretize.QUANTILES);
        if (!method.equals(FeatureDefinition.Discretize.QUANTILES)
                && !method.equals(FeatureDefinition.Discretize.EQUAL_WIDTH)
                && !method.equals(FeatureDefinition.Discretize.LINSPACE)) {
            problems.add(at + "method: expected \"quantiles\", \"equal_width\" or \"linspace\"; got '" + method
                    + "'");
        }
        return new FeatureDefinition.Discretize(bins, method, null);
    }

    private List<CrossDefinition> crosses(JsonNode array, List<FeatureDefinition> features) {
        List<CrossDefinition> out = new ArrayList<>();
        if (array == null || array.isNull()) {
            return out;
        }
        if (!array.isArray()) {
            problems.add("crosses: expected an array");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            String at = "crosses[" + i + "]";
            JsonNode c = array.get(i);
            if (!c.isObject()) {
                problems.add(at + ": expected an object");
                continue;
            }
            known(c, at + ".", "name", "features", "buckets", "embedding_dim");
            JsonNode fs = c.get("features");
            List<String> names = new ArrayList<>();
            String tower = null;
            boolean ok = fs != null && fs.isArray() && fs.size() >= 2;
            if (!ok) {
                problems.add(at + ".features: expected an array of two or more feature names");
                continue;
            }
            for (int j = 0; j < fs.size(); j++) {
                String n = fs.get(j).asText();
                FeatureDefinition f = features.stream().filter(x -> x.name().equals(n)).findFirst().orElse(null);
                if (f == null || !f.kind().categorical()) {
                    problems.add(at + ".features[" + j + "]: '" + n + "' is not a string or integer feature of the spec");
                    ok = false;
                } else if (tower != null && !tower.equals(f.tower())) {
                    problems.add(at + ".features[" + j + "]: '" + n + "' is in the " + f.tower()
                            + " tower, the features before it in the " + tower + " tower; a cross lives in one tower");
                    ok = false;
                } else {
                    tower = f.tower();
                }
                names.add(n);
            }
            String name = text(c, "name", at + ".", String.join("_x_", names));
            int buckets = integer(c, "buckets", at + ".", 1000, 1);
            int dim = integer(c, "embedding_dim", at + ".", 8, 1);
            if (ok) {
                if (features.stream().anyMatch(f -> f.name().equals(name))
                        || out.stream().anyMatch(x -> x.name().equals(name))) {
                    problems.add(at + ".name: '" + name + "' is already the name of a feature or cross");
                } else {
                    out.add(new CrossDefinition(name, names, buckets, dim));
                }
            }
        }
        return out;
    }

    private FeatureSpec.Tower tower(JsonNode towers, String key) {
        JsonNode t = object(towers, key, "towers.", false);
        if (t == null) {
            return new FeatureSpec.Tower(List.of());
        }
        known(t, "towers." + key + ".", "layers");
        return new FeatureSpec.Tower(layers(t, "towers." + key + ".", List.of()));
    }

    private FeatureSpec.RetrievalTask retrieval(JsonNode r) {
        if (r == null) {
            return null;
        }
        String at = "tasks.retrieval.";
        known(r, at, "weight", "temperature", "log_q", "remove_accidental_hits", "loss", "negatives",
                "sampled_negatives");
        String loss = text(r, "loss", at, FeatureSpec.RetrievalTask.SOFTMAX);
        if (!loss.equals(FeatureSpec.RetrievalTask.SOFTMAX) && !loss.equals(FeatureSpec.RetrievalTask.BPR)) {
            problems.add(at + "loss: expected \"softmax\" or \"bpr\"; got '" + loss + "'");
        }
        String negatives = text(r, "negatives", at, null);
        int sampled = integer(r, "sampled_negatives", at, 0, 0);
        if (sampled > 0 && (negatives != null || loss.equals(FeatureSpec.RetrievalTask.BPR))) {
            problems.add(at + "sampled_negatives: shared uniform negatives extend the in-batch softmax; they do not "
                    + "combine with " + (negatives != null ? "a negatives column" : "\"loss\": \"bpr\""));
        }
        return new FeatureSpec.RetrievalTask(nonNegative(r, "weight", at, 1.0), positive(r, "temperature", at, 1.0),
                bool(r, "log_q", at, false), bool(r, "remove_accidental_hits", at, false), loss, negatives, sampled);
    }

    private FeatureSpec.Training training(JsonNode t) {
        String at = "training.";
        if (t == null) {
            return new FeatureSpec.Training("adagrad", 0.1, 1024, 10, 1);
        }
        known(t, at, "optimizer", "lr", "batch_size", "epochs", "validation_freq", "l2", "l2_weighting");
        String optimizer = text(t, "optimizer", at, "adagrad");
        if (!org.embedrec.nn.optim.Optimizers.names().contains(optimizer)) {
            problems.add(at + "optimizer: expected one of " + String.join(", ", org.embedrec.nn.optim.Optimizers.names())
                    + "; got '" + optimizer + "'");
        }
        String weighting = text(t, "l2_weighting", at, FeatureSpec.Training.UNIFORM);
        if (!weighting.equals(FeatureSpec.Training.UNIFORM) && !weighting.equals(FeatureSpec.Training.SQRT_FREQUENCY)) {
            problems.add(at + "l2_weighting: expected \"uniform\" or \"sqrt_frequency\"; got '" + weighting + "'");
            weighting = FeatureSpec.Training.UNIFORM;
        }
        return new FeatureSpec.Training(optimizer, positive(t, "lr", at, 0.1),
                integer(t, "batch_size", at, 1024, 1), integer(t, "epochs", at, 10, 1),
                integer(t, "validation_freq", at, 1, 1), nonNegative(t, "l2", at, 0.0), weighting);
    }

    /**
     * Retrieval and a dot head score by the dot product of the two towers' outputs, so they must
     * be equally wide; each tower needs a feature to read.
     */
    private void checkTowers(List<FeatureDefinition> features, List<CrossDefinition> crosses, FeatureSpec.Tower query,
                             FeatureSpec.Tower candidate, boolean retrieval, FeatureSpec.RatingHead head) {
        if (features.isEmpty() || !(retrieval || head != null)) {
            return;
        }
        int[] widths = new int[2];
        for (FeatureDefinition f : features) {
            int t = FeatureDefinition.QUERY.equals(f.tower()) ? 0 : 1;
            widths[t] += f.embedded() ? f.embeddingDim() : 0;
            widths[t] += f.kind().numeric() && f.normalize() ? 1 : 0;
        }
        for (CrossDefinition c : crosses) {
            String tower = features.stream().filter(f -> f.name().equals(c.features().get(0))).findFirst()
                    .map(FeatureDefinition::tower).orElse(FeatureDefinition.QUERY);
            widths[FeatureDefinition.QUERY.equals(tower) ? 0 : 1] += c.embeddingDim();
        }
        for (int t = 0; t < 2; t++) {
            if (widths[t] == 0) {
                problems.add("features: the " + (t == 0 ? "query" : "candidate") + " tower has no feature");
                return;
            }
        }
        int q = query.layers().isEmpty() ? widths[0] : query.layers().get(query.layers().size() - 1);
        int c = candidate.layers().isEmpty() ? widths[1] : candidate.layers().get(candidate.layers().size() - 1);
        if (retrieval && q != c) {
            problems.add("towers: retrieval scores query . candidate, so both towers must output the same width; "
                    + "the query tower outputs " + q + " and the candidate tower " + c
                    + " (set the last entry of towers.query.layers and towers.candidate.layers alike)");
        } else if (head != null && head.dot() && q != c) {
            problems.add("tasks.rating.head.kind: a \"dot\" head scores query . candidate, so both towers must output "
                    + "the same width; the query tower outputs " + q + " and the candidate tower " + c);
        }
    }

    // ---- field readers: each records a problem and returns the default when the field is wrong ----
}
