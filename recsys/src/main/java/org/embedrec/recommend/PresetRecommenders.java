package org.embedrec.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.models.retrieval.CandidateCatalogue;

/**
 * Recommenders of the presets' saved directories, in the formats they have always had: the
 * two-tower preset ({@link TwoTowerModelFiles}) and the rating presets ({@link RatingModelFiles}).
 */
final class PresetRecommenders {
    private PresetRecommenders() {}

    /**
     * The two-tower preset: its weights file holds the candidate embeddings and the users'
     * history; an item's popularity is the number of users who had it in training (the
     * directory keeps no interaction counts), its one attribute its title.
     */
    static Recommender twoTower(Path files, JsonNode description, long version, IndexSettings index)
            throws IOException {
        TwoTowerModelFiles.Loaded loaded = TwoTowerModelFiles.read(files);
        TwoTowerRecommender saved = loaded.recommender();
        UserHistory history = saved.history();
        CandidateCatalogue items = saved.catalogue();
        long[] users = new long[items.size()];
        for (int item : history.items()) {
            users[item]++;
        }
        Map<String, String[]> attributes = new LinkedHashMap<>();
        attributes.put(Catalogue.TITLE, items.titles());
        Catalogue catalogue = new Catalogue(items.itemIds(), attributes, users);
        long latest = Long.MIN_VALUE;
        for (long t : history.latestTimestamps()) {
            latest = Math.max(latest, t);
        }
        QueryModel model = new TwoTowerQueryModel(saved.model(), saved.candidateEmbeddings(), history.userIds(),
                history.latestTimestamps());
        return new Recommender(model, catalogue, history, null, history.size() == 0 ? 0 : latest,
                index != null ? index : IndexSettings.EXACT, version, provenance(description));
    }

    /** A rating preset, which only scores; its directory keeps the ids but no history or popularity. */
    static Recommender rating(Path files, JsonNode description, long version) throws IOException {
        RatingModelFiles.Loaded loaded = RatingModelFiles.read(files);
        QueryModel model;
        try {
            model = new RatingQueryModel(loaded.name(), loaded.model(), loaded.labelRange());
        } catch (IllegalArgumentException e) {
            throw new org.embedrec.io.ModelFileException(files + ": " + e.getMessage());
        }
        List<String> users = loaded.userIds();
        int items = loaded.itemIds().size();
        UserHistory history = UserHistory.of(users, new long[users.size()], new int[users.size() + 1], new int[0],
                items);
        Catalogue catalogue = new Catalogue(loaded.itemIds(), Map.of(), new long[items]);
        return new Recommender(model, catalogue, history, null, 0, IndexSettings.EXACT, version,
                provenance(description));
    }

    /**
     * A next-item model ({@link SequentialModelFiles}): gru4rec and sasrec search their item table
     * by the state after a history (exactly unless {@code index} says otherwise), pop ranks by
     * popularity; both answer known users from their saved history.
     */
    static Recommender sequential(Path files, long version, IndexSettings index) throws IOException {
        SequentialModelFiles.Loaded loaded = SequentialModelFiles.read(files);
        UserHistory history = loaded.history();
        Map<String, String[]> attributes = new LinkedHashMap<>();
        if (loaded.titles() != null) {
            attributes.put(Catalogue.TITLE, loaded.titles());
        }
        try {
            Catalogue catalogue = new Catalogue(loaded.itemIds(), attributes, loaded.interactions());
            SequentialQueryModel model = new SequentialQueryModel(loaded.name(), loaded.scorer(),
                    loaded.sequenceOffsets(), loaded.sequenceItems(), catalogue);
            long latest = Long.MIN_VALUE;
            for (long t : history.latestTimestamps()) {
                latest = Math.max(latest, t);
            }
            return new Recommender(model, catalogue, history, model.recent(history.size(), RecentItems.PER_USER),
                    history.size() == 0 ? 0 : latest, index != null ? index : IndexSettings.EXACT, version,
                    loaded.provenance());
        } catch (IllegalArgumentException e) {
            if (e instanceof org.embedrec.io.ModelFileException) {
                throw e;
            }
            throw new org.embedrec.io.ModelFileException(files + ": damaged next-item model: " + e.getMessage());
        }
    }

    /** What a preset's model.json says of how the model was made. */
    private static JsonNode provenance(JsonNode description) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String field : new String[] {"embedrec_version", "model", "data", "split", "config"}) {
            if (description.has(field)) {
                out.set(field, description.get(field));
            }
        }
        return out;
    }
}
