package org.embedrec.features;

import java.util.List;

/**
 * A feature spec that cannot be used: one line per mistake, each naming the spec field (as a
 * path such as {@code features[2].embedding_dim}) or the data column, and what was expected.
 */
public final class SpecException extends IllegalArgumentException {
    private final List<String> problems;

    public SpecException(String source, List<String> problems) {
        super(message(source, problems));
        this.problems = List.copyOf(problems);
    }

    /** Each mistake, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        if (problems.size() == 1) {
            return source + ": " + problems.get(0);
        }
        StringBuilder b = new StringBuilder(source).append(": ").append(problems.size()).append(" problems");
        for (String p : problems) {
            b.append("\n  - ").append(p);
        }
        return b.toString();
    }
}
