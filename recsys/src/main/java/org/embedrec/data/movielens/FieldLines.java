package org.embedrec.data.movielens;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.embedrec.data.DataFormatException;
import org.embedrec.data.LineLengthLimit;
import org.embedrec.data.LineProblems;
import org.embedrec.data.ProgressInputStream;
import org.embedrec.data.ReadProgress;

/**
 * Reads a MovieLens file of separated fields line by line (u.data, u.item, ratings.dat,
 * users.dat, ...): blank lines are skipped, and a line whose fields are wrong is reported to
 * the bad-line policy under the file's name and line number. A line longer than
 * {@link LineLengthLimit#MAX_LINE_CHARS} stops the read (no policy skips it: such a file is not
 * the file it should be).
 */
final class FieldLines {
    /** Checks one line's fields and adds what they say; returns why the line is bad, or null. */
    interface Line {
        String add(String[] fields, int count);
    }

    /** As {@link Line}, for a line already known to have the expected number of fields. */
    interface Row {
        String add(String[] fields);
    }

    private final String separator;
    private final String separatorName;
    private final Charset charset;
    private final char sepChar;

    /**
     * @param separator "\t", "|" or "::"
     * @param separatorName how messages name it: "tab-separated", "pipe-separated", "'::'-separated"
     */
    FieldLines(String separator, String separatorName, Charset charset) {
        this.separator = separator;
        this.separatorName = separatorName;
        this.charset = charset;
        this.sepChar = separator.length() == 1 ? separator.charAt(0) : 0;
    }

    /**
     * Reads every non-blank line, split into at most {@code width} fields (the count may be larger),
     * reporting the file's bytes to {@code progress} as they are read.
     */
    void read(Path file, int width, LineProblems problems, ReadProgress progress, Line each) throws IOException {
        String name = file.getFileName().toString();
        String[] f = new String[width];
        // As Files.newBufferedReader (a decoder that reports malformed input), over a counted stream.
        try (BufferedReader in = new BufferedReader(new LineLengthLimit(new InputStreamReader(
                ProgressInputStream.open(file, progress), charset.newDecoder()), name))) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (DelimitedLine.isBlank(line)) {
                    continue;
                }
                int n = sepChar != 0 ? DelimitedLine.split(line, sepChar, f) : DelimitedLine.split(line, separator, f);
                String problem = each.add(f, n);
                if (problem != null) {
                    problems.report(new DataFormatException(name, lineNo, problem, line));
                }
            }
        }
    }

    /**
     * Reads lines of exactly {@code width} fields, reporting any other count.
     * @param layout the fields as messages list them, e.g. "user, item, rating, timestamp"
     */
    void read(Path file, int width, String layout, LineProblems problems, ReadProgress progress, Row each)
            throws IOException {
        read(file, width, problems, progress, (f, n) -> n != width
                ? "expected " + width + " " + separatorName + " fields (" + layout + "), got " + n
                : each.add(f));
    }
}
