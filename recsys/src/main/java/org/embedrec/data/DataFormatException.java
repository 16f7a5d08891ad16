package org.embedrec.data;

/**
 * A line (or database row) of input that cannot be read, with where it is and what was
 * expected: {@code u.data line 17: expected 4 tab-separated fields (user, item, rating,
 * timestamp), got 3: '1\t2\t5'}. Tabs and other control characters in the offending text are
 * shown escaped so the message stays on one line.
 */
public class DataFormatException extends IllegalArgumentException {
    private static final int MAX_TEXT = 200;

    private final String source;
    private final long line;
    private final String text;
    private final String problem;

    /**
     * @param source the file name (or a description of the query) the text came from
     * @param unit "line" for files, "row" for query results
     * @param line 1-based position, or 0 when the problem is not tied to one line
     * @param problem what was expected and what was found, without the text
     * @param text the offending text, or null when there is none to show
     */
    public DataFormatException(String source, String unit, long line, String problem, String text) {
        super(format(source, unit, line, problem, text));
        this.source = source;
        this.line = line;
        this.text = text;
        this.problem = problem;
    }

    /** A problem on a numbered line of a file. */
    public DataFormatException(String source, long line, String problem, String text) {
        this(source, "line", line, problem, text);
    }

    private static String format(String source, String unit, long line, String problem, String text) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(' ').append(unit).append(' ').append(line);
        }
        sb.append(": ").append(problem);
        if (text != null) {
            sb.append(": '").append(escape(text)).append('\'');
        }
        return sb.toString();
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_TEXT) + 8);
        for (int i = 0; i < text.length() && i < MAX_TEXT; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (text.length() > MAX_TEXT) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** The file name or query description the problem was found in. */
    public String source() {
        return source;
    }

    /** The 1-based line or row number, or 0 when the problem is not tied to one line. */
    public long line() {
        return line;
    }

    /** The offending text, or null. */
    public String text() {
        return text;
    }

    /** What was expected and what was found, without the position and the text. */
    public String problem() {
        return problem;
    }
}
