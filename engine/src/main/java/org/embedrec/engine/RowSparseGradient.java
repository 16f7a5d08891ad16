package org.embedrec.engine;

import java.util.Arrays;
import org.embedrec.engine.kernels.Kernels;

/**
 * The gradient of a table as the rows that were touched, each once, in order of first touch.
 *
 * <p>Accumulating a row that is already present adds to it, so duplicate ids in a batch
 * coalesce. Row lookup is an open-addressing hash from row id to slot; memory and time depend
 * on the number of touched rows, never on the table's size. The order of slots, and the order
 * in which duplicates are summed, follow the order of accumulation, so results are
 * deterministic.
 */
public final class RowSparseGradient {
    private static final int EMPTY = -1;
    /** From this row width on, rows are added with the vector kernel; the sums are the same either way. */
    private static final int SIMD_WIDTH = 8;

    private final int width;
    private int count;
    private int[] rows = new int[16];
    private float[] values;
    private int[] table = newTable(32);

    RowSparseGradient(int width) {
        this.width = width;
        this.values = new float[16 * width];
    }

    /** Number of distinct rows touched. */
    public int rowCount() {
        return count;
    }

    /** Row width (the table's second dimension). */
    public int width() {
        return width;
    }

    /** Row id held in slot {@code slot}. */
    public int row(int slot) {
        return rows[slot];
    }

    /** Row ids, valid in {@code [0, rowCount())}; live array. */
    public int[] rows() {
        return rows;
    }

    /** Gradient values, slot-major: slot {@code s} holds {@code [s*width, (s+1)*width)}; live array. */
    public float[] values() {
        return values;
    }

    /** Adds {@code src[srcOffset .. srcOffset+width)} to the gradient of {@code row}. */
    public void accumulate(int row, float[] src, int srcOffset) {
        int slot = slotOf(row);
        int base = slot * width;
        if (width >= SIMD_WIDTH) {
            Kernels.get().add(values, base, src, srcOffset, values, base, width);
        } else {
            for (int j = 0; j < width; j++) {
                values[base + j] += src[srcOffset + j];
            }
        }
    }

    /** Forgets all rows, keeping the buffers. */
    public void clear() {
        Arrays.fill(values, 0, count * width, 0f);
        Arrays.fill(table, EMPTY);
        count = 0;
    }

    /** The gradient as a dense {@code rows x width} array; for tests and small tables. */
    public float[] toDense(int tableRows) {
        float[] dense = new float[tableRows * width];
        for (int s = 0; s < count; s++) {
            System.arraycopy(values, s * width, dense, rows[s] * width, width);
        }
        return dense;
    }

    private int slotOf(int row) {
        int mask = table.length - 1;
        int h = mix(row) & mask;
        while (true) {
            int slot = table[h];
            if (slot == EMPTY) {
                return insert(row, h);
            }
            if (rows[slot] == row) {
                return slot;
            }
            h = (h + 1) & mask;
        }
    }

    private int insert(int row, int hashPos) {
        if (count == rows.length) {
            rows = Arrays.copyOf(rows, count * 2);
            values = Arrays.copyOf(values, count * 2 * width);
        }
        int slot = count++;
        rows[slot] = row;
        table[hashPos] = slot;
        if (count * 2 > table.length) {
            rehash(table.length * 2);
        }
        return slot;
    }

    private void rehash(int capacity) {
        table = newTable(capacity);
        int mask = capacity - 1;
        for (int s = 0; s < count; s++) {
            int h = mix(rows[s]) & mask;
            while (table[h] != EMPTY) {
                h = (h + 1) & mask;
            }
            table[h] = s;
        }
    }

    private static int[] newTable(int capacity) {
        int[] t = new int[capacity];
        Arrays.fill(t, EMPTY);
        return t;
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
