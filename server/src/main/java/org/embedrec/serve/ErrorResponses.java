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

    private ErrorResponses() {
    }

    /** A recommender's refusal of a request as a 400; {@code path} prefixes the field ({@code queries[2].}). */
    static BadRequest fromModel(IllegalArgumentException e, String path) {
        String message = e.getMessage() == null ? "invalid request" : e.getMessage();
        Matcher m = LEADING_FIELD.matcher(message);
        String field = m.find() ? m.group(1) : "request";
        // A batch names its position itself (queries[3].k); keep the caller's prefix off then.
        if (!field.startsWith("queries[")) {
            field = path + field;
        }
        return BadRequest.of(field, message);
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
