package org.embedrec.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.embedrec.recommend.ItemFilter;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Scores;

/**
 * Reads the server's requests into {@link Query} objects: query parameters of a GET, JSON bodies
 * of a POST. Every mistake is a {@link BadRequest} naming the parameter or JSON path
 * ({@code k}, {@code filter.attributes.colour}, {@code queries[3].exclude[0]}); checks that need
 * the model (which features and attributes exist, which ids are known) are the
 * {@link org.embedrec.recommend.Recommender}'s. Unknown JSON fields are refused rather than
 * ignored, so a misspelt {@code exclude_seen} is not silently a different question.
 *
 * <p>A recommend body: {@code {"user", "features": {column: value}, "k", "exclude_seen",
 * "exclude": [ids], "filter": {"items": [ids], "attributes": {name: value}}, "at", "history": [ids],
 * "attributes": [names]}}, every field optional ({@code history}, oldest first, for the next-item models; at most
 * {@value Query#MAX_HISTORY} ids; {@code attributes}, which attributes the answer's items carry, is
 * read by {@link AttributeSelection}, as is the GET parameter). A score body is the same asker ({@code user}, {@code features},
 * {@code at}, {@code history}) with
 * {@code "items": [ids]}; a batch body is {@code {"queries": [recommend bodies]}}.
 */
final class QueryReader {
    /** The most queries one batch request may hold. */
    static final int MAX_BATCH = 1_000;

    static final Set<String> RECOMMEND_FIELDS =
            Set.of("user", "features", "k", "exclude_seen", "exclude", "filter", "at", "history", AttributeSelection.FIELD);
    static final Set<String> SCORE_FIELDS = Set.of("user", "features", "at", "history", "items");
    private static final Set<String> FILTER_FIELDS = Set.of("items", "attributes");

    private final ObjectMapper json;

    QueryReader(ObjectMapper json) {
        this.json = json;
    }

    /** The JSON object of a request body. */
    JsonNode body(byte[] bytes) {
        if (bytes.length == 0) {
            throw BadRequest.of("body", "empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw BadRequest.of("body", "not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw BadRequest.of("body", "unreadable: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw BadRequest.of("body", "expected a JSON object, got " + kind(node));
        }
        return node;
    }

    /**
     * A recommend query from GET parameters: {@code user}, {@code k}, {@code exclude_seen}, {@code at}
     * and {@code history}, repeated once per id, oldest first (a parameter per id rather than a
     * separated list, so an id may hold any character).
     */
    static Query recommendParameters(Map<String, List<String>> params) {
        requireKnown(params.keySet(), Set.of("user", "k", "exclude_seen", "at", "history", AttributeSelection.FIELD), "");
        Query.Builder b = Query.builder();
        String user = single(params, "user");
        if (user != null) {
            b.user(user);
        }
        String k = single(params, "k");
        if (k != null) {
            b.k(parseK(k, "k"));
        }
        String excludeSeen = single(params, "exclude_seen");
        if (excludeSeen != null) {
            b.excludeSeen(parseBoolean(excludeSeen, "exclude_seen"));
        }
        String at = single(params, "at");
        if (at != null) {
            b.at(parseLong(at, "at"));
        }
        List<String> history = params.getOrDefault("history", List.of());
        if (history.size() > Query.MAX_HISTORY) {
            throw BadRequest.of("history", history.size() + " ids; at most " + Query.MAX_HISTORY);
        }
        if (!history.isEmpty()) {
            b.history(history);
        }
        return build(b, "");
    }

    /** A recommend query from a JSON object; {@code path} prefixes field names in errors ({@code queries[2].}). */
    static Query recommendBody(JsonNode body, String path) {
        requireKnown(fieldNames(body), RECOMMEND_FIELDS, path);
        Query.Builder b = asker(body, path);
        JsonNode k = body.get("k");
        if (k != null && !k.isNull()) {
            if (!k.isIntegralNumber()) {
                throw BadRequest.of(path + "k", "expected an integer from 1 to " + Query.MAX_K + ", got " + kind(k));
            }
            if (!k.canConvertToInt()) {
                throw BadRequest.of(path + "k", abbreviate(k.asText()) + " is out of range; expected 1 to " + Query.MAX_K);
            }
            b.k(checkK(k.intValue(), path + "k"));
        }
        JsonNode excludeSeen = body.get("exclude_seen");
        if (excludeSeen != null && !excludeSeen.isNull()) {
            if (!excludeSeen.isBoolean()) {
                throw BadRequest.of(path + "exclude_seen", "expected true or false, got " + kind(excludeSeen));
            }
            b.excludeSeen(excludeSeen.booleanValue());
        }
        JsonNode exclude = body.get("exclude");
        if (exclude != null && !exclude.isNull()) {
            b.exclude(stringArray(exclude, path + "exclude", Query.MAX_K));
        }
        JsonNode filter = body.get("filter");
        if (filter != null && !filter.isNull()) {
            b.filter(filter(filter, path + "filter"));
        }
        return build(b, path);
    }

    /** The queries of a batch body. */
    static List<Query> batchBody(JsonNode body) {
        requireKnown(fieldNames(body), Set.of("queries"), "");
        JsonNode queries = body.get("queries");
        if (queries == null || !queries.isArray()) {
            throw BadRequest.of("queries", "expected an array of recommend queries, got " + kind(queries));
        }
        if (queries.size() > MAX_BATCH) {
            throw BadRequest.of("queries", queries.size() + " queries; at most " + MAX_BATCH + " in one batch");
        }
        List<Query> out = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            String path = "queries[" + i + "]";
            JsonNode q = queries.get(i);
            if (!q.isObject()) {
                throw BadRequest.of(path, "expected a JSON object, got " + kind(q));
            }
            out.add(recommendBody(q, path + "."));
        }
        return out;
    }

    /** A score request from a JSON object. */
    static Scores.Request scoreBody(JsonNode body) {
        requireKnown(fieldNames(body), SCORE_FIELDS, "");
        Query.Builder b = asker(body, "");
        JsonNode items = body.get("items");
        if (items == null || items.isNull()) {
            throw BadRequest.of("items", "missing; give the item ids to score");
        }
        return new Scores.Request(build(b, ""), stringArray(items, "items", Query.MAX_K));
    }

    /** A score request from GET parameters: {@code user}, {@code at} and {@code item} (repeated). */
    static Scores.Request scoreParameters(Map<String, List<String>> params) {
        requireKnown(params.keySet(), Set.of("user", "at", "item"), "");
        Query.Builder b = Query.builder();
        String user = single(params, "user");
        if (user != null) {
            b.user(user);
        }
        String at = single(params, "at");
        if (at != null) {
            b.at(parseLong(at, "at"));
        }
        List<String> items = params.getOrDefault("item", List.of());
        if (items.isEmpty()) {
            throw BadRequest.of("item", "missing; give item=ID once per item to score");
        }
        if (items.size() > Query.MAX_K) {
            throw BadRequest.of("item", items.size() + " items; at most " + Query.MAX_K);
        }
        return new Scores.Request(build(b, ""), items);
    }

    /** The {@code k} parameter of similar. */
    static int similarK(Map<String, List<String>> params) {
        String k = single(params, "k");
        return k == null ? Query.DEFAULT_K : parseK(k, "k");
    }

    /** The required parameter {@code name}. */
    static String required(Map<String, List<String>> params, String name) {
        String value = single(params, name);
        if (value == null || value.isEmpty()) {
            throw BadRequest.of(name, "missing; expected " + name + "=ID");
        }
        return value;
    }

    static void requireKnown(Iterable<String> given, Set<String> known, String path) {
        for (String name : given) {
            if (!known.contains(name)) {
                throw BadRequest.of(path + name, "unknown field; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    /** The user, features and time of a body. */
    private static Query.Builder asker(JsonNode body, String path) {
        Query.Builder b = Query.builder();
        JsonNode user = body.get("user");
        if (user != null && !user.isNull()) {
            if (!user.isTextual()) {
                throw BadRequest.of(path + "user", "expected a user id string, got " + kind(user));
            }
            b.user(user.textValue());
        }
        JsonNode features = body.get("features");
        if (features != null && !features.isNull()) {
            b.features(stringMap(features, path + "features"));
        }
        JsonNode at = body.get("at");
        if (at != null && !at.isNull()) {
            if (!at.isIntegralNumber() || !at.canConvertToLong()) {
                throw BadRequest.of(path + "at", "expected a time in whole seconds since 1970, got " + kind(at));
            }
            b.at(at.longValue());
        }
        JsonNode history = body.get("history");
        if (history != null && !history.isNull()) {
            b.history(stringArray(history, path + "history", Query.MAX_HISTORY));
        }
        return b;
    }

    private static ItemFilter filter(JsonNode node, String path) {
        if (!node.isObject()) {
            throw BadRequest.of(path, "expected an object {\"items\": [...], \"attributes\": {...}}, got " + kind(node));
        }
        requireKnown(fieldNames(node), FILTER_FIELDS, path + ".");
        JsonNode items = node.get("items");
        List<String> allowed = items == null || items.isNull() ? null
                : stringArray(items, path + ".items", Integer.MAX_VALUE);
        JsonNode attributes = node.get("attributes");
        Map<String, String> equals = attributes == null || attributes.isNull() ? Map.of()
                : stringMap(attributes, path + ".attributes");
        return new ItemFilter(allowed == null ? null : new java.util.LinkedHashSet<>(allowed), equals);
    }

    private static List<String> stringArray(JsonNode node, String path, int max) {
        if (!node.isArray()) {
            throw BadRequest.of(path, "expected an array of id strings, got " + kind(node));
        }
        if (node.size() > max) {
            throw BadRequest.of(path, node.size() + " ids; at most " + max);
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (!e.isTextual()) {
                throw BadRequest.of(path + "[" + i + "]", "expected an id string, got " + kind(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** An object of names to strings; numbers and booleans are read as their JSON text (feature values are raw text). */
    private static Map<String, String> stringMap(JsonNode node, String path) {
        if (!node.isObject()) {
            throw BadRequest.of(path, "expected an object of names to values, got " + kind(node));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw BadRequest.of(path + "." + e.getKey(), "expected a string, number or boolean, got " + kind(v));
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    private static Query build(Query.Builder b, String path) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ErrorResponses.fromModel(e, path);
        }
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw BadRequest.of(name, "given " + values.size() + " times; expected once");
        }
        return values.get(0);
    }

    private static int parseK(String text, String name) {
        return checkK(parseLong(text, name), name);
    }

    private static int checkK(long k, String name) {
        if (k < 1 || k > Query.MAX_K) {
            throw BadRequest.of(name, k + " is out of range; expected 1 to " + Query.MAX_K);
        }
        return (int) k;
    }

    private static long parseLong(String text, String name) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw BadRequest.of(name, "'" + abbreviate(text) + "' is not a whole number");
        }
    }

    private static boolean parseBoolean(String text, String name) {
        if (text.equals("true") || text.equals("1")) {
            return true;
        }
        if (text.equals("false") || text.equals("0")) {
            return false;
        }
        throw BadRequest.of(name, "'" + abbreviate(text) + "'; expected true or false");
    }

    private static Iterable<String> fieldNames(JsonNode node) {
        return node::fieldNames;
    }

    /** How a JSON value is described in an error. */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "the number " + abbreviate(node.asText());
            case BOOLEAN -> node.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A user's text in a message, cut to a readable length. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
