package org.embedrec.serve;

/**
 * A request the server refuses, answered as {@code {"error": {"status", "field", "message"}}}:
 * {@code field} names the part of the request at fault (a query parameter, a JSON path such as
 * {@code queries[2].k}, or {@code body}), {@code status} the HTTP status (4xx).
 */
final class BadRequest extends RuntimeException {
    private final int status;
    private final String field;

    BadRequest(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    /** A 400 naming {@code field}. */
    static BadRequest of(String field, String message) {
        return new BadRequest(400, field, message);
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
