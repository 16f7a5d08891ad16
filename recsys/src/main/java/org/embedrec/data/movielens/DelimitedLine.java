package org.embedrec.data.movielens;

/**
 * Splits a line on a fixed separator without regular expressions or intermediate lists: the
 * simple MovieLens formats are read a hundred thousand lines at a time, and
 * {@code String.split} would compile or scan a pattern per line.
 */
final class DelimitedLine {
    private DelimitedLine() {
    }

    /**
     * Splits {@code line} on {@code sep} into {@code out}, filling at most {@code out.length}
     * fields, and returns the number of fields the line actually has (which may be larger).
     */
    static int split(String line, char sep, String[] out) {
        int count = 0;
        int start = 0;
        int len = line.length();
        for (int k = 0; k <= len; k++) {
            if (k == len || line.charAt(k) == sep) {
                if (count < out.length) {
                    out[count] = line.substring(start, k);
                }
                count++;
                start = k + 1;
            }
        }
        return count;
    }

    /** As {@link #split(String, char, String[])} with a multi-character separator such as "::". */
    static int split(String line, String sep, String[] out) {
        int count = 0;
        int start = 0;
        int step = sep.length();
        while (true) {
            int at = line.indexOf(sep, start);
            int end = at < 0 ? line.length() : at;
            if (count < out.length) {
                out[count] = line.substring(start, end);
            }
            count++;
            if (at < 0) {
                return count;
            }
            start = at + step;
        }
    }

    /** True for a line with nothing but spaces and tabs (skipped by the readers, never counted). */
    static boolean isBlank(String line) {
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }
}
