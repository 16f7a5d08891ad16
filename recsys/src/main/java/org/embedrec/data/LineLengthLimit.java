package org.embedrec.data;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Locale;
import java.util.Optional;

/**
 * A reader that refuses a line longer than a cap the moment the line passes it, so that a file
 * with a runaway line (no line breaks: a binary file, one giant JSON value, a broken export) fails
 * with its name and line number instead of being gathered whole into memory by the line or CSV
 * reader above. Every data file reader reads through one, with {@link #MAX_LINE_CHARS}.
 */
public final class LineLengthLimit extends FilterReader {
    /** 1 Mi characters: far beyond any line of interactions or attributes, far below a heap. */
    public static final int MAX_LINE_CHARS = 1 << 20;
    /** The start of the long line, shown in the message. */
    private static final int SHOWN = 100;

    private final String source;
    private final int cap;
    private final StringBuilder start = new StringBuilder(SHOWN);
    private long line = 1;
    private long length;

    /** Reads {@code in}, the file {@code source} names in messages, refusing lines over {@code cap} characters. */
    public LineLengthLimit(Reader in, String source, int cap) {
        super(in);
        if (cap < 1) {
            throw new IllegalArgumentException("a line length cap must be at least 1, got " + cap);
        }
        this.source = source;
        this.cap = cap;
    }

    /** With the cap of {@link #MAX_LINE_CHARS}. */
    public LineLengthLimit(Reader in, String source) {
        this(in, source, MAX_LINE_CHARS);
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            count(buffer[offset + i]);
        }
        return n;
    }

    /**
     * The refusal of a limit under {@code e}, when a CSV reader wrapped it in its own exception
     * (FastCSV reports whatever its source throws as a parse error of the record).
     */
    public static Optional<DataFormatException> cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLong tooLong) {
                return Optional.of(tooLong);
            }
        }
        return Optional.empty();
    }

    /** The refusal of a line over the cap. */
    static final class TooLong extends DataFormatException {
        TooLong(String source, long line, String problem, String text) {
            super(source, line, problem, text);
        }
    }

    private void count(char c) {
        if (c == '\n') {
            line++;
            length = 0;
            start.setLength(0);
            return;
        }
        if (start.length() < SHOWN) {
            start.append(c);
        }
        if (++length > cap) {
            throw new TooLong(source, line, String.format(Locale.ROOT,
                    "a line longer than %,d characters; is this the right file? It starts", cap), start + "...");
        }
    }
}
