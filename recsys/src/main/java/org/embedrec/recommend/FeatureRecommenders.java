package org.embedrec.recommend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.Interactions;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.nn.Parameter;
import org.embedrec.tasks.LabelRange;

/**
 * {@link Recommender#build}: a recommender of a model just trained from a spec, with everything
 * answering needs taken from the training data once: the catalogue's candidate embeddings and
 * attributes, each user's seen items, latest features and time, and the items' popularity.
 */
final class FeatureRecommenders {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FeatureRecommenders() {}

    static Recommender build(FeatureModel trained, FeatureEncoder encoder, TrainingData data,
                             Map<String, ?> provenance, IndexSettings index) {
        Objects.requireNonNull(trained, "model");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(data, "data");
        FeatureSpec spec = encoder.spec();
        FeatureSource source = FeatureSource.of(spec, data.all(), data.items(), data.users());
        return build(trained, encoder, source, data.items(), summary(spec, source, data.train()), provenance, index);
    }

    /**
     * The recommender of {@code trained} over the catalogue of {@code source} (its candidate
     * features' values), with {@code items}' attributes and what {@code summary} keeps of the
     * training interactions.
     */
    static Recommender build(FeatureModel trained, FeatureEncoder encoder, FeatureSource source, AttributeTable items,
                             TrainingSummary summary, Map<String, ?> provenance, IndexSettings index) {
        Objects.requireNonNull(trained, "model");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(summary, "summary");
        FeatureSpec spec = encoder.spec();
        FeatureModel model = copy(trained, encoder);
        float[] candidates = model.embedCandidates(encoder.encodeCandidates(source));
        List<String> itemIds = source.catalogueIds();
        summary.requireCatalogueOf(itemIds.size());
        UserHistory history = summary.history();
        Map<String, String[]> itemAttributes = attributes(spec, items, itemIds);
        FeatureQueryModel queryModel = new FeatureQueryModel(encoder, model, candidates, history.userIds(),
                history.latestTimestamps(), summary.latestQueryValues(), itemIds, itemAttributes);
        Catalogue catalogue = new Catalogue(itemIds, itemAttributes, summary.itemCounts());

        ObjectNode made = JSON.valueToTree(provenance == null ? Map.of() : provenance);
        made.put("embedrec_version", EmbedrecVersion.CURRENT);
        made.put("data_fingerprint", summary.dataFingerprint());
        made.put("data_rows", summary.dataRows());
        made.put("train_rows", summary.trainRows());
        made.put("catalogue_items", itemIds.size());
        // Read back from its text, so that it holds the node types a loaded model's provenance has.
        JsonNode saved;
        try {
            saved = JSON.readTree(JSON.writeValueAsString(made));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("provenance: not writable as JSON: " + e.getOriginalMessage(), e);
        }
        return new Recommender(queryModel, catalogue, history,
                new RecentItems(summary.recentOffsets(), summary.recentItems()),
                summary.trainRows() == 0 ? 0 : summary.latestTimestamp(),
                index != null ? index : IndexSettings.forCatalogue(itemIds.size()), 0, saved);
    }

    /** What the recommender keeps of the training rows {@code train}, computed from them in one place. */
    static TrainingSummary summary(FeatureSpec spec, FeatureSource source, Interactions train) {
        int catalogueSize = source.catalogueSize();
        UserHistory seen = UserHistory.of(train);
        UserHistory history = UserHistory.of(seen.userIds(), seen.latestTimestamps(), seen.offsets(), seen.items(),
                catalogueSize);
        Map<String, String[]> defaults = latestQueryValues(spec, source, train, history);
        long[] counts = new long[catalogueSize];
        long latest = Long.MIN_VALUE;
        for (int r = 0; r < train.size(); r++) {
            counts[train.item(r)]++;
            latest = Math.max(latest, train.timestamp(r));
        }
        RecentItems recent = RecentItems.of(train, history);
        return new TrainingSummary(history, recent.offsets(), recent.items(), defaults, counts, latest,
                DataFingerprint.of(source.all()), source.all().size(), train.size());
    }

    /** A fresh model of {@code encoder}'s spec holding {@code trained}'s weights, in inference mode. */
    private static FeatureModel copy(FeatureModel trained, FeatureEncoder encoder) {
        // The initial weights are all replaced, so neither the seed nor the label mean matters;
        // the label range does: served ratings are clipped to it.
        LabelRange range = trained.ranking() == null ? null : trained.ranking().labelRange();
        FeatureModel copy = range == null ? FeatureModels.build(encoder, 0f, new Rng(0))
                : FeatureModels.build(encoder, 0f, range.min(), range.max(), new Rng(0));
        Map<String, Parameter> from = trained.namedParameters();
        Map<String, Parameter> to = copy.namedParameters();
        if (!from.keySet().equals(to.keySet())) {
            throw new IllegalArgumentException("the model's parameters " + from.keySet() + " are not those its "
                    + "encoder's spec builds " + to.keySet() + "; give the encoder it was trained with");
        }
        for (Map.Entry<String, Parameter> p : to.entrySet()) {
            Parameter source = from.get(p.getKey());
            if (!Arrays.equals(source.shape(), p.getValue().shape())) {
                throw new IllegalArgumentException("parameter '" + p.getKey() + "' has shape "
                        + Arrays.toString(source.shape()) + ", the encoder's spec builds "
                        + Arrays.toString(p.getValue().shape()) + "; give the encoder the model was trained with");
            }
            System.arraycopy(source.value().data(), 0, p.getValue().value().data(), 0, source.size());
        }
        copy.setTraining(false);
        return copy;
    }

    /**
     * Each known user's raw value of every query column other than the user id and the time,
     * read from their latest training row (the latest timestamp; of equal ones, the later row).
     */
    private static Map<String, String[]> latestQueryValues(FeatureSpec spec, FeatureSource source,
                                                          Interactions train, UserHistory history) {
        int[] historyRow = new int[train.numUsers()];
        for (int d = 0; d < historyRow.length; d++) {
            historyRow[d] = history.row(train.users().rawId(d));
        }
        int[] latestRow = new int[history.size()];
        Arrays.fill(latestRow, -1);
        for (int r = 0; r < train.size(); r++) {
            int u = historyRow[train.user(r)];
            if (latestRow[u] < 0 || train.timestamp(r) >= train.timestamp(latestRow[u])) {
                latestRow[u] = r;
            }
        }
        Interactions latest = train.select(latestRow);
        Map<String, String[]> out = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features(FeatureDefinition.QUERY)) {
            String c = f.column();
            if (!c.equals(spec.data().user()) && !c.equals(spec.data().timestamp()) && !out.containsKey(c)) {
                out.put(c, source.queryValues(f, latest));
            }
        }
        return out;
    }

    /** The item table's columns but its id, one value per catalogue item (null when the table has no row for it). */
    private static Map<String, String[]> attributes(FeatureSpec spec, AttributeTable items, List<String> itemIds) {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (items == null) {
            return out;
        }
        String idColumn = spec.data().items() != null ? spec.data().items().id() : spec.data().item();
        for (String column : items.columns()) {
            if (column.equals(idColumn)) {
                continue;
            }
            String[] values = new String[itemIds.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = items.value(itemIds.get(i), column);
            }
            out.put(column, values);
        }
        return out;
    }
}
