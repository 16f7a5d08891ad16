package org.embedrec.data;

/**
 * What a reader does with a line it cannot read. Under {@link #FAIL} (the default) the first
 * bad line throws a {@link DataFormatException}; under {@link #SKIP} the line is left out and
 * counted, and the count and the first few reasons are reported in
 * {@link RatingsData#skippedLines()} and {@link RatingsData#skipReasons()}. There is no
 * silent mode: a partial load is always visible in the result.
 */
public enum BadLinePolicy {
    FAIL,
    SKIP
}
