package org.embedrec.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.embedrec.recommend.Catalogue;
import org.embedrec.recommend.ModelInfo;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.Scores;
import org.embedrec.tasks.LabelRange;

/**
 * The JSON of the server's answers. Every answer names the model and the version that gave it,
 * so a client (and the reload test) can tell which model answered.
 */
final class AnswerJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnswerJson() {
    }

    /**
     * {@code {"model", "version", "source", "time"?, "unknown_history"?, "items": [{"id", "score", "seen", "title"?,
     * "attributes"}]}}; {@code unknown_history} lists the query's history ids the model does not know, when any.
     */
    static ObjectNode recommendations(ServedModel served, Recommendations answer, AttributeSelection attributes) {
        ObjectNode root = header(served);
        root.put("source", answer.source().name().toLowerCase(java.util.Locale.ROOT));
        if (answer.time().isPresent()) {
            root.put("time", answer.time().getAsLong());
        }
        if (!answer.unknownHistory().isEmpty()) {
            ArrayNode unknown = root.putArray("unknown_history");
            answer.unknownHistory().forEach(unknown::add);
        }
        ArrayNode items = root.putArray("items");
        for (RecommendedItem item : answer.items()) {
            ObjectNode o = items.addObject();
            o.put("id", item.itemId());
            o.put("score", item.score());
            o.put("seen", item.seen());
            if (item.title() != null) {
                o.put("title", item.title());
            }
            attributes.put(o, item.attributes());
        }
        return root;
    }

    /**
     * {@code {"model", "version", "source", "kind", "clipped_to"?, "items": [{"id", "score"}]}}:
     * {@code clipped_to} ({@code {"min", "max"}}, the training labels' range) says the predicted
     * ratings were clipped to it, as the reported RMSE and MAE clip them.
     */
    static ObjectNode scores(ServedModel served, Scores answer) {
        ObjectNode root = header(served);
        root.put("source", answer.source().name().toLowerCase(java.util.Locale.ROOT));
        root.put("kind", answer.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (answer.clippedTo() != null) {
            range(root.putObject("clipped_to"), answer.clippedTo());
        }
        ArrayNode items = root.putArray("items");
        for (Scores.ItemScore item : answer.items()) {
            items.addObject().put("id", item.itemId()).put("score", item.score());
        }
        return root;
    }

    /** A batch: {@code {"model", "version", "answers": [recommendations]}}, each with its query's attributes. */
    static ObjectNode batch(ServedModel served, List<Recommendations> answers, List<AttributeSelection> attributes) {
        ObjectNode root = header(served);
        ArrayNode out = root.putArray("answers");
        for (int i = 0; i < answers.size(); i++) {
            ObjectNode one = recommendations(served, answers.get(i), attributes.get(i));
            one.remove("model");
            one.remove("version");
            out.add(one);
        }
        return root;
    }

    /** A known user's latest items with their titles: {@code {"user", "known", "items": [{"id", "title"?}]}}. */
    static ObjectNode history(ServedModel served, String userId) {
        Recommender r = served.recommender();
        ObjectNode root = header(served);
        root.put("user", userId);
        root.put("known", r.knowsUser(userId));
        ArrayNode items = root.putArray("items");
        Catalogue catalogue = r.catalogue();
        for (String id : r.recentItems(userId)) {
            ObjectNode o = items.addObject().put("id", id);
            String title = catalogue.attribute(catalogue.row(id), Catalogue.TITLE);
            if (title != null) {
                o.put("title", title);
            }
        }
        return root;
    }

    /** What a model serves: {@link ModelInfo} and where it was loaded from. */
    static ObjectNode info(ServedModel served) {
        ModelInfo info = served.recommender().info();
        ObjectNode root = header(served);
        root.put("directory", served.directory().toString());
        root.put("loaded_at", served.loadedAt().toString());
        root.put("kind", info.kind());
        root.put("model_class", info.model());
        root.put("items", info.items());
        root.put("users", info.users());
        ArrayNode columns = root.putArray("query_columns");
        info.queryColumns().forEach(columns::add);
        ArrayNode attributes = root.putArray("item_attributes");
        info.itemAttributes().forEach(attributes::add);
        root.put("similar_items", info.similarItems());
        root.put("score_kind", info.scoreKind().name().toLowerCase(java.util.Locale.ROOT));
        if (info.scoreRange() != null) {
            range(root.putObject("score_range"), info.scoreRange());
        }
        root.put("index", info.index());
        if (info.provenance() != null) {
            root.set("provenance", info.provenance());
        }
        return root;
    }

    static ObjectNode header(ServedModel served) {
        ObjectNode root = NODES.objectNode();
        root.put("model", served.name());
        root.put("version", served.version());
        return root;
    }

    private static void range(ObjectNode o, LabelRange range) {
        o.put("min", range.min());
        o.put("max", range.max());
    }
}
