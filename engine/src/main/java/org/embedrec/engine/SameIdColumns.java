package org.embedrec.engine;

import java.util.Arrays;

/**
 * For each of the first {@code rows} columns of a list of ids, the other columns that carry the
 * same id: in an in-batch softmax, where row i's label is column i, these are the row's
 * accidental hits. The (id, column) pairs are sorted once, so each id's columns are one
 * contiguous group and a row visits only its group, not all columns; with distinct ids that
 * is the row's own column alone.
 */
final class SameIdColumns {
    /** Column indices ordered by (id, column). */
    private final int[] sorted;
    /** For row i: its id's group is {@code sorted[groupStart[i] .. groupEnd[i])}. */
    private final int[] groupStart;
    private final int[] groupEnd;

    SameIdColumns(int[] ids, int rows) {
        long[] keys = new long[ids.length];
        for (int j = 0; j < ids.length; j++) {
            keys[j] = (long) ids[j] << 32 | j;
        }
        Arrays.sort(keys);
        sorted = new int[ids.length];
        for (int s = 0; s < keys.length; s++) {
            sorted[s] = (int) keys[s];
        }
        groupStart = new int[rows];
        groupEnd = new int[rows];
        for (int start = 0, end; start < keys.length; start = end) {
            int id = (int) (keys[start] >> 32);
            end = start + 1;
            while (end < keys.length && (int) (keys[end] >> 32) == id) {
                end++;
            }
            for (int s = start; s < end; s++) {
                if (sorted[s] < rows) {
                    groupStart[sorted[s]] = start;
                    groupEnd[sorted[s]] = end;
                }
            }
        }
    }

    /** Adds {@code offset} to {@code values[base + j]} for every column j other than {@code row} sharing its id. */
    void offsetRow(int row, float[] values, int base, float offset) {
        for (int s = groupStart[row]; s < groupEnd[row]; s++) {
            int j = sorted[s];
            if (j != row) {
                values[base + j] += offset;
            }
        }
    }
}
