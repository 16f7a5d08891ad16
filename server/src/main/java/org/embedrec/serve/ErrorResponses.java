package org.embedrec.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's error answers: {@code {"error": {"status": 400, "field": "k", "message": "..."}}},
 * never a stack trace. The {@link org.embedrec.recommend.Recommender}'s own refusals
 * (an {@link IllegalArgumentException} whose message starts with the field, as in
 * {@code k = 0; expected 1 to 10000} or {@code features['colour']: ...}) become 400s naming
 * that field.
 */
final class ErrorResponses {
    /** The leading field of a recommender message: a name with optional [index] or ['key'] parts and dots. */
    private static final Pattern LEADING_FIELD =
            Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*(?:\\[[^\\]]*\\]|\\.[A-Za-z_][A-Za-z0-9_]*)*)");

    private static final java.util.Map<String, String> JSON_NAMES = java.util.Map.of("userId", "user", "itemId", "item",
            "itemIds", "items", "attributeEquals", "attributes", "allowedIds", "items");

    private ErrorResponses() {
    }

    /** A recommender's refusal of a request as a 400; {@code path} prefixes the field ({@code queries[2].}). */
    static BadRequest fromModel(IllegalArgumentException e, String path) {
        String message = e.getMessage() == null ? "invalid request" : e.getMessage();
        Matcher m = LEADING_FIELD.matcher(message);
        String field = m.find() ? jsonName(m.group(1)) : "request";
        // A batch names its position itself (queries[3].k); keep the caller's prefix off then.
        if (!field.startsWith("queries[")) {
            field = path + field;
        }
        return BadRequest.of(field, message);
    }

    /**
     * The request's name of a field the recommender names in Java: {@code features['colour']} is
     * {@code features.colour}, {@code userId} is {@code user}, {@code itemIds[1]} is {@code items[1]}.
     */
    static String jsonName(String javaName) {
        String name = javaName.replaceAll("\\['([^']*)'\\]", ".$1");
        String[] parts = name.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int bracket = part.indexOf('[');
            String head = bracket < 0 ? part : part.substring(0, bracket);
            String tail = bracket < 0 ? "" : part.substring(bracket);
            parts[i] = JSON_NAMES.getOrDefault(head, head) + tail;
        }
        return String.join(".", parts);
    }

    static ObjectNode body(int status, String field, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("status", status);
        if (field != null) {
            error.put("field", field);
        }
        error.put("message", message);
        return root;
    }
}
