package org.embedrec.recommend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.Tensor;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureKind;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModel;
import org.embedrec.tasks.LabelRange;

/**
 * A model trained from a feature spec, answering queries: a query is a row of raw query
 * features, encoded by the saved preprocessing and embedded by the query tower. A known user's
 * row is their latest training row (the user table's columns and the context of that
 * interaction), with the query's features and time in place of those values; its embedding
 * with nothing replaced is computed once, when the recommender is made.
 *
 * <p>Scores ({@link #score}): the rating head's prediction when the model has one (a rating,
 * unclipped here and clipped by the recommender to {@link #scoreRange()}, or for a binary label
 * the probability {@code sigmoid(logit)}), else the retrieval score {@code q . c}. Candidate embeddings are those of the whole catalogue, computed once.
 */
final class FeatureQueryModel implements QueryModel {
    private final FeatureEncoder encoder;
    private final FeatureModel model;
    private final List<FeatureDefinition> queryFeatures;
    private final String userColumn;
    private final String timeColumn;
    private final List<String> queryColumns;
    private final Map<String, String> columnOfFeature = new LinkedHashMap<>();
    private final float[] candidates;
    private final int candidateWidth;
    private final int width;
    private final Map<String, String[]> userDefaults;
    private final List<String> userIds;
    private final float[] userEmbeddings;
    private final boolean binary;
    private final boolean readsTime;
    /** The catalogue's candidate features encoded, for the wide part's terms; null without a wide part. */
    private final EncodedFeatures catalogueFeatures;

    /**
     * A query model over {@code model} (in inference mode, never trained further), its
     * preprocessing, the catalogue's candidate embeddings, and the known users' default rows:
     * {@code userDefaults} maps each query column other than the user id and the time to one raw
     * value per user of {@code userIds}, whose default times are {@code userTimes}.
     */
    FeatureQueryModel(FeatureEncoder encoder, FeatureModel model, float[] candidates, List<String> userIds,
                      long[] userTimes, Map<String, String[]> userDefaults, List<String> itemIds,
                      Map<String, String[]> itemAttributes) {
        this.encoder = encoder;
        this.model = model;
        FeatureSpec spec = encoder.spec();
        this.queryFeatures = spec.features(FeatureDefinition.QUERY);
        this.userColumn = spec.data().user();
        this.timeColumn = spec.data().timestamp();
        List<String> columns = new ArrayList<>();
        for (FeatureDefinition f : queryFeatures) {
            if (!isIdOrTime(f.column()) && !columns.contains(f.column())) {
                columns.add(f.column());
            }
            columnOfFeature.put(f.name(), f.column());
        }
        this.queryColumns = List.copyOf(columns);
        this.candidateWidth = model.candidateTower().outputDim();
        this.width = model.queryTower().outputDim();
        if (candidates.length % candidateWidth != 0) {
            throw new IllegalArgumentException("candidate embeddings: " + candidates.length + " values are not rows of "
                    + candidateWidth);
        }
        this.candidates = candidates;
        for (String c : queryColumns) {
            String[] values = userDefaults.get(c);
            if (values == null || values.length != userIds.size()) {
                throw new IllegalArgumentException("users' query values: column '" + c + "' has "
                        + (values == null ? "none" : values.length + " values") + " for " + userIds.size() + " users");
            }
        }
        // In the query columns' order, so that a save writes them in the same order every time.
        Map<String, String[]> ordered = new LinkedHashMap<>();
        for (String c : queryColumns) {
            ordered.put(c, userDefaults.get(c));
        }
        this.userDefaults = java.util.Collections.unmodifiableMap(ordered);
        this.userIds = List.copyOf(userIds);
        this.binary = spec.rating() != null && "binary_crossentropy".equals(spec.rating().loss());
        this.readsTime = timeColumn != null && queryFeatures.stream().anyMatch(f -> f.column().equals(timeColumn));
        this.userEmbeddings = model.embedQueries(encodeUsers(userTimes));
        this.catalogueFeatures = model.wide() == null ? null : encodeCatalogue(itemIds, itemAttributes);
    }

    /**
     * The catalogue's candidate features from its item ids and attributes (the item table's
     * columns), as training encoded them, for the wide part (mf's user and item biases, say),
     * which a prediction adds to the head's.
     */
    private EncodedFeatures encodeCatalogue(List<String> itemIds, Map<String, String[]> itemAttributes) {
        int n = itemIds.size();
        Map<String, String[]> raw = new LinkedHashMap<>();
        String itemColumn = encoder.spec().data().item();
        for (FeatureDefinition f : encoder.spec().features(FeatureDefinition.CANDIDATE)) {
            String[] values = new String[n];
            String[] attribute = itemAttributes.get(f.column());
            for (int i = 0; i < n; i++) {
                String v = f.column().equals(itemColumn) ? itemIds.get(i) : attribute == null ? null : attribute[i];
                values[i] = v != null ? v : encoder.missingValue(f.name());
            }
            raw.put(f.name(), values);
        }
        return encoder.encode(FeatureDefinition.CANDIDATE, raw, n, "catalogue ");
    }

    private boolean isIdOrTime(String column) {
        return column.equals(userColumn) || column.equals(timeColumn);
    }

    /** Every known user's default row, encoded in one batch. */
    private EncodedFeatures encodeUsers(long[] times) {
        int n = userIds.size();
        Map<String, String[]> raw = new LinkedHashMap<>();
        for (FeatureDefinition f : queryFeatures) {
            String[] values = new String[n];
            for (int u = 0; u < n; u++) {
                values[u] = f.column().equals(userColumn) ? userIds.get(u)
                        : f.column().equals(timeColumn) ? Long.toString(times[u]) : userDefaults.get(f.column())[u];
            }
            raw.put(f.name(), values);
        }
        return encoder.encode(FeatureDefinition.QUERY, raw, n, "user ");
    }

    FeatureEncoder encoder() {
        return encoder;
    }

    FeatureModel model() {
        return model;
    }

    /** The known users' default raw values by column, for saving; callers must not modify them. */
    Map<String, String[]> userDefaults() {
        return userDefaults;
    }

    @Override
    public String kind() {
        return "feature-model";
    }

    @Override
    public String name() {
        return model.getClass().getSimpleName();
    }

    @Override
    public boolean retrieves() {
        return model.retrieves();
    }

    @Override
    public Scores.Kind scoreKind() {
        return model.ratingHead() == null ? Scores.Kind.INNER_PRODUCT : binary ? Scores.Kind.PROBABILITY
                : Scores.Kind.RATING;
    }

    @Override
    public LabelRange scoreRange() {
        return scoreKind() == Scores.Kind.RATING ? model.ranking().labelRange() : null;
    }

    @Override
    public List<String> queryColumns() {
        return queryColumns;
    }

    @Override
    public String userColumn() {
        return userColumn;
    }

    @Override
    public String timeColumn() {
        return timeColumn;
    }

    @Override
    public String columnOfFeature(String name) {
        String c = columnOfFeature.get(name);
        return c == null || isIdOrTime(c) ? null : c;
    }

    @Override
    public boolean readsTime() {
        return readsTime;
    }

    @Override
    public boolean hasFeatures(Asker asker) {
        return asker.userRow() >= 0 ? !queryColumns.isEmpty() : !asker.columns().isEmpty();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] candidateEmbeddings() {
        return candidates;
    }

    @Override
    public int candidateWidth() {
        return candidateWidth;
    }

    @Override
    public void embed(Asker asker, float[] out) {
        if (asker.defaults() && asker.userRow() >= 0) {
            System.arraycopy(userEmbeddings, asker.userRow() * width, out, 0, width);
            return;
        }
        float[] q = model.queryTower().embed(encode(asker)).data();
        System.arraycopy(q, 0, out, 0, width);
    }

    /** The asker's one row of raw query features, encoded. */
    private EncodedFeatures encode(Asker asker) {
        Map<String, String[]> raw = new LinkedHashMap<>();
        for (FeatureDefinition f : queryFeatures) {
            String c = f.column();
            String v;
            if (c.equals(userColumn)) {
                v = asker.userId() != null && parses(f, asker.userId()) ? asker.userId() : encoder.missingValue(f.name());
            } else if (c.equals(timeColumn)) {
                v = Long.toString(asker.time());
            } else if (asker.columns().containsKey(c)) {
                v = asker.columns().get(c);
            } else if (asker.userRow() >= 0) {
                v = userDefaults.get(c)[asker.userRow()];
            } else {
                v = encoder.missingValue(f.name());
            }
            raw.put(f.name(), new String[] {v});
        }
        return encoder.encode(FeatureDefinition.QUERY, raw, 1, "query ");
    }

    /** Whether an id parses as the feature's kind: an integer feature's unknown id that is no integer is missing. */
    private static boolean parses(FeatureDefinition f, String id) {
        if (f.kind() != FeatureKind.INTEGER || f.hashBins() > 0) {
            return true;
        }
        try {
            Integer.parseInt(id.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public float[] score(Asker asker, int[] rows) {
        float[] q = new float[width];
        embed(asker, q);
        int n = rows.length;
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        if (model.ratingHead() == null) {
            Kernels kernels = Kernels.get();
            for (int i = 0; i < n; i++) {
                out[i] = kernels.dot(q, 0, candidates, rows[i] * candidateWidth, width);
            }
            return out;
        }
        float[] queries = new float[n * width];
        float[] items = new float[n * candidateWidth];
        for (int i = 0; i < n; i++) {
            System.arraycopy(q, 0, queries, i * width, width);
            System.arraycopy(candidates, rows[i] * candidateWidth, items, i * candidateWidth, candidateWidth);
        }
        Tensor predictions = model.ratingHead().predict(Tensor.wrap(queries, n, width),
                Tensor.wrap(items, n, candidateWidth));
        System.arraycopy(predictions.data(), 0, out, 0, n);
        if (catalogueFeatures != null) {
            float[] wide = model.wide().logit(encode(asker).rows(new int[n], 0, n), catalogueFeatures.rows(rows, 0, n))
                    .data();
            for (int i = 0; i < n; i++) {
                out[i] += wide[i];
            }
        }
        if (binary) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (1 / (1 + Math.exp(-out[i])));
            }
        }
        return out;
    }
}
