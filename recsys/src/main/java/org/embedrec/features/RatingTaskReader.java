package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.embedrec.nn.optim.Optimizers;

/**
 * Reads the {@code tasks.rating} section of a spec: the loss and its weight, the head (its
 * kind, crosses, layers and dropout) and the optional wide part (features, crosses, its own
 * optimizer, pre-training), recording every mistake with its field path as {@link SpecReader}
 * does.
 */
final class RatingTaskReader extends SpecFields {

    /** The section read: all null when the spec has no rating task. */
    record Read(FeatureSpec.RatingTask task, FeatureSpec.RatingHead head, FeatureSpec.Wide wide) {}

    /** The rating task of node {@code r} ({@code tasks.rating}, may be null) over the spec's {@code features}. */
    Read read(JsonNode r, List<FeatureDefinition> features) {
        if (r == null) {
            return new Read(null, null, null);
        }
        return new Read(rating(r), head(object(r, "head", "tasks.rating.", false)),
                wide(object(r, "wide", "tasks.rating.", false), features));
    }

    private FeatureSpec.RatingTask rating(JsonNode r) {
        String at = "tasks.rating.";
        known(r, at, "weight", "loss", "head", "wide");
        String loss = text(r, "loss", at, "mse");
        if (!loss.equals("mse") && !loss.equals("binary_crossentropy")) {
            problems.add(at + "loss: expected \"mse\" or \"binary_crossentropy\"; got '" + loss + "'");
        }
        return new FeatureSpec.RatingTask(nonNegative(r, "weight", at, 1.0), loss);
    }

    private FeatureSpec.RatingHead head(JsonNode h) {
        if (h == null) {
            return new FeatureSpec.RatingHead(0, 0, List.of(256, 64));
        }
        String at = "tasks.rating.head.";
        known(h, at, "kind", "cross_layers", "projection_dim", "layers", "input_dropout", "dropout");
        String kind = text(h, "kind", at, FeatureSpec.RatingHead.CONCAT);
        if (!kind.equals(FeatureSpec.RatingHead.CONCAT) && !kind.equals(FeatureSpec.RatingHead.DOT)) {
            problems.add(at + "kind: expected \"concat\" or \"dot\"; got '" + kind + "'");
            kind = FeatureSpec.RatingHead.CONCAT;
        }
        boolean dot = kind.equals(FeatureSpec.RatingHead.DOT);
        if (dot) {
            for (String field : List.of("cross_layers", "projection_dim", "dropout")) {
                if (h.hasNonNull(field) && h.get(field).asDouble() != 0) {
                    problems.add(at + field + ": a \"dot\" head has no cross or dropout layers of its own; drop "
                            + "the towers' outputs with input_dropout, or use the \"concat\" head");
                }
            }
        }
        List<Integer> layers = layers(h, at, dot ? List.of() : List.of(256, 64));
        if (dot) {
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i) < 2) {
                    problems.add(at + "layers[" + i + "]: a \"dot\" head's layers start as the identity map, "
                            + "which takes at least 2 units per layer; got " + layers.get(i));
                }
            }
        }
        return new FeatureSpec.RatingHead(kind, integer(h, "cross_layers", at, 0, 0),
                integer(h, "projection_dim", at, 0, 0), layers, rate(h, "input_dropout", at), rate(h, "dropout", at));
    }

    /** A dropout rate in [0, 1); 0 when absent. */
    private double rate(JsonNode o, String key, String at) {
        JsonNode d = o.get(key);
        if (d == null || d.isNull()) {
            return 0.0;
        }
        if (!d.isNumber() || !(d.asDouble() >= 0 && d.asDouble() < 1)) {
            problems.add(at + key + ": expected a rate in [0, 1), got " + d);
            return 0.0;
        }
        return d.asDouble();
    }

    /**
     * The wide part: features of the spec that reach their tower as ids, and crosses of two of
     * them (at most one a bag of ids), each named once.
     */
    private FeatureSpec.Wide wide(JsonNode w, List<FeatureDefinition> features) {
        if (w == null) {
            return null;
        }
        String at = "tasks.rating.wide.";
        known(w, at, "features", "crosses", "optimizer", "lr", "pretrain_epochs");
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        JsonNode fs = w.get("features");
        if (fs != null && !fs.isNull() && !fs.isArray()) {
            problems.add(at + "features: expected an array of feature names");
        } else if (fs != null) {
            for (int i = 0; i < fs.size(); i++) {
                String n = fs.get(i).asText();
                String where = at + "features[" + i + "]: ";
                FeatureDefinition f = find(features, n);
                if (f == null || !f.embedded()) {
                    problems.add(where + "'" + n + "' is not a feature of the spec that is looked up as ids "
                            + "(string, integer, text, list, or a discretized number)");
                } else if (!taken.add(n)) {
                    problems.add(where + "'" + n + "' is named twice");
                } else {
                    names.add(n);
                }
            }
        }
        List<FeatureSpec.WideCross> crosses = wideCrosses(w.get("crosses"), features, taken);
        if (names.isEmpty() && crosses.isEmpty()) {
            problems.add(at + "features: the wide part needs at least one feature or cross");
        }
        String optimizer = text(w, "optimizer", at, null);
        if (optimizer != null && !Optimizers.names().contains(optimizer)) {
            problems.add(at + "optimizer: expected one of " + String.join(", ", Optimizers.names())
                    + "; got '" + optimizer + "'");
        }
        return new FeatureSpec.Wide(names, crosses, optimizer, positive(w, "lr", at, 0.0),
                integer(w, "pretrain_epochs", at, 0, 0));
    }

    private List<FeatureSpec.WideCross> wideCrosses(JsonNode array, List<FeatureDefinition> features,
                                                    Set<String> taken) {
        List<FeatureSpec.WideCross> out = new ArrayList<>();
        String at = "tasks.rating.wide.crosses";
        if (array == null || array.isNull()) {
            return out;
        }
        if (!array.isArray()) {
            problems.add(at + ": expected an array of crosses such as {\"features\": [\"user_id\", \"genres\"]}");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            String where = at + "[" + i + "]";
            JsonNode c = array.get(i);
            if (!c.isObject()) {
                problems.add(where + ": expected an object");
                continue;
            }
            known(c, where + ".", "name", "features", "buckets");
            JsonNode fs = c.get("features");
            if (fs == null || !fs.isArray() || fs.size() != 2) {
                problems.add(where + ".features: expected an array of two feature names");
                continue;
            }
            List<String> pair = new ArrayList<>();
            int bags = 0;
            for (int j = 0; j < 2; j++) {
                String n = fs.get(j).asText();
                FeatureDefinition f = find(features, n);
                if (f == null || !(f.kind().categorical() || f.kind().bag())) {
                    problems.add(where + ".features[" + j + "]: '" + n + "' is not a string, integer, text or list "
                            + "feature of the spec");
                } else {
                    pair.add(n);
                    bags += f.kind().bag() ? 1 : 0;
                }
            }
            if (pair.size() < 2) {
                continue;
            }
            if (bags > 1) {
                problems.add(where + ".features: '" + pair.get(0) + "' and '" + pair.get(1) + "' are both lists or "
                        + "text; at most one feature of a cross may hold several ids");
                continue;
            }
            String name = text(c, "name", where + ".", String.join("_x_", pair));
            int buckets = integer(c, "buckets", where + ".", 1000, 1);
            if (find(features, name) != null || !taken.add(name)) {
                problems.add(where + ".name: '" + name + "' is already the name of a feature or of another part of "
                        + "the wide part");
                continue;
            }
            out.add(new FeatureSpec.WideCross(name, pair, buckets));
        }
        return out;
    }

    private static FeatureDefinition find(List<FeatureDefinition> features, String name) {
        for (FeatureDefinition f : features) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
