package org.embedrec.recommend;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The items' attribute values, stored row by row as packed UTF-8: each row's values lie next to
 * each other, so reading one item's attributes costs one or two cache misses rather than one or
 * more per value, and a catalogue holds a byte per character instead of a {@code String} object
 * per value (a million items with 32 numeric attributes: about 250 MB instead of 1.5 GB).
 *
 * <p>A row is its values in column order, each a length code then its bytes: code 0 for no
 * value, otherwise the byte length plus one, in 7-bit groups (low first, the high bit saying
 * another group follows). Rows are packed into blocks of at most {@value #BLOCK_BYTES} bytes and
 * never cross a block, so no array has to hold the whole table. Immutable.
 */
final class AttributeTable {
    static final int BLOCK_BYTES = 1 << 30;

    private final int columns;
    private final List<byte[]> blocks;
    /** Row {@code r} starts in block {@code blockOf[r]} at {@code offsetOf[r]}. */
    private final int[] blockOf;
    private final int[] offsetOf;

    private AttributeTable(int columns, List<byte[]> blocks, int[] blockOf, int[] offsetOf) {
        this.columns = columns;
        this.blocks = blocks;
        this.blockOf = blockOf;
        this.offsetOf = offsetOf;
    }

    /** The table of {@code columns} (each a value per row, null for none) over {@code rows} rows. */
    static AttributeTable of(List<String[]> columns, int rows) {
        return of(columns, rows, BLOCK_BYTES);
    }

    /** {@link #of(List, int)} with blocks of at most {@code blockBytes} (small in tests, to cross blocks). */
    static AttributeTable of(List<String[]> columns, int rows, int blockBytes) {
        int width = columns.size();
        int[] blockOf = new int[rows];
        int[] offsetOf = new int[rows];
        List<byte[]> blocks = new ArrayList<>();
        byte[] block = new byte[Math.min(blockBytes, 1 << 16)];
        int used = 0;
        byte[][] encoded = new byte[width][];
        for (int r = 0; r < rows; r++) {
            int rowBytes = 0;
            for (int a = 0; a < width; a++) {
                String value = columns.get(a)[r];
                encoded[a] = value == null ? null : utf8(value, r, a);
                rowBytes += encoded[a] == null ? 1 : lengthCodeBytes(encoded[a].length + 1) + encoded[a].length;
            }
            if (rowBytes > blockBytes) {
                throw new IllegalArgumentException("item attributes: row " + r + " takes " + rowBytes
                        + " bytes, more than a block holds (" + blockBytes + ")");
            }
            if (used + rowBytes > blockBytes) {
                blocks.add(Arrays.copyOf(block, used));
                block = new byte[Math.min(blockBytes, Math.max(rowBytes, 1 << 16))];
                used = 0;
            }
            if (used + rowBytes > block.length) {
                block = Arrays.copyOf(block, (int) Math.min(blockBytes, Math.max(used + (long) rowBytes, 2L * block.length)));
            }
            blockOf[r] = blocks.size();
            offsetOf[r] = used;
            for (int a = 0; a < width; a++) {
                byte[] bytes = encoded[a];
                if (bytes == null) {
                    block[used++] = 0;
                } else {
                    used = writeLengthCode(block, used, bytes.length + 1);
                    System.arraycopy(bytes, 0, block, used, bytes.length);
                    used += bytes.length;
                }
            }
        }
        blocks.add(Arrays.copyOf(block, used));
        return new AttributeTable(width, List.copyOf(blocks), blockOf, offsetOf);
    }

    private static byte[] utf8(String value, int row, int a) {
        byte[] bytes = exactUtf8(value);
        if (bytes == null) {
            throw new IllegalArgumentException("item attributes: row " + row + ", column " + a
                    + ": the value has a lone UTF-16 surrogate, which is not text");
        }
        return bytes;
    }

    /**
     * The value's UTF-8 bytes, or null when it has none: text with a lone surrogate has no UTF-8
     * form (Java would write '?' for it and read back a different value).
     */
    static byte[] exactUtf8(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return new String(bytes, StandardCharsets.UTF_8).equals(value) ? bytes : null;
            }
        }
        return bytes;
    }

    /** Attribute {@code a} of row {@code row}, or null when the item has none. */
    String get(int row, int a) {
        byte[] block = blocks.get(blockOf[row]);
        int at = skip(block, offsetOf[row], a);
        int code = readLengthCode(block, at);
        if (code == 0) {
            return null;
        }
        int start = at + lengthCodeBytes(code);
        return new String(block, start, code - 1, StandardCharsets.UTF_8);
    }

    /** Whether attribute {@code a} of row {@code row} is the value whose UTF-8 bytes are {@code utf8} (null: no value is). */
    boolean valueEquals(int row, int a, byte[] utf8) {
        if (utf8 == null) {
            return false;
        }
        byte[] block = blocks.get(blockOf[row]);
        int at = skip(block, offsetOf[row], a);
        int code = readLengthCode(block, at);
        if (code != utf8.length + 1) {
            return false;
        }
        int start = at + lengthCodeBytes(code);
        return Arrays.equals(block, start, start + utf8.length, utf8, 0, utf8.length);
    }

    /** Every attribute of row {@code row}, in column order (null for none), decoded in one pass over the row. */
    String[] row(int row) {
        byte[] block = blocks.get(blockOf[row]);
        String[] out = new String[columns];
        int p = offsetOf[row];
        for (int a = 0; a < columns; a++) {
            int code = readLengthCode(block, p);
            p += lengthCodeBytes(code);
            if (code != 0) {
                out[a] = new String(block, p, code - 1, StandardCharsets.UTF_8);
                p += code - 1;
            }
        }
        return out;
    }

    /** Column {@code a} as strings, for saving. */
    String[] column(int a) {
        String[] out = new String[blockOf.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = get(r, a);
        }
        return out;
    }

    /** The bytes the values and their row index take. */
    long bytes() {
        long total = 8L * blockOf.length;
        for (byte[] block : blocks) {
            total += block.length;
        }
        return total;
    }

    /** Where value {@code a} of the row starting at {@code at} starts. */
    private static int skip(byte[] block, int at, int a) {
        int p = at;
        for (int i = 0; i < a; i++) {
            int code = readLengthCode(block, p);
            p += lengthCodeBytes(code) + (code == 0 ? 0 : code - 1);
        }
        return p;
    }

    private static int readLengthCode(byte[] block, int at) {
        int value = 0;
        int shift = 0;
        int p = at;
        while (true) {
            int b = block[p++];
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }

    private static int lengthCodeBytes(int code) {
        int n = 1;
        while ((code >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static int writeLengthCode(byte[] block, int at, int code) {
        int p = at;
        int v = code;
        while ((v & ~0x7f) != 0) {
            block[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        block[p++] = (byte) v;
        return p;
    }
}
