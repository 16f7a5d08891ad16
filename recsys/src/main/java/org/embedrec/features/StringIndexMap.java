package org.embedrec.features;

/**
 * String to non-negative int, open addressing with linear probing. Besides {@code String} keys
 * it looks up a range of a {@code char[]}, so that {@link TextVectorization} finds a token without
 * first making a {@code String} of it. Filled once when a layer is built, then only read.
 */
final class StringIndexMap {
    private final String[] keys;
    private final int[] values;
    private final int mask;

    StringIndexMap(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedSize * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /** Inserts a key that is not yet present; returns false (and changes nothing) if it is. */
    boolean putIfAbsent(String key, int value) {
        int slot = spread(key.hashCode()) & mask;
        while (keys[slot] != null) {
            if (keys[slot].equals(key)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        return true;
    }

    /** The value of {@code key}, or -1 if absent. */
    int get(String key) {
        int slot = spread(key.hashCode()) & mask;
        String k;
        while ((k = keys[slot]) != null) {
            if (k.equals(key)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** The value of the key spelled by {@code chars[from, to)}, or -1 if absent. */
    int get(char[] chars, int from, int to) {
        // The same polynomial as String.hashCode, which the Java specification fixes.
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + chars[i];
        }
        int slot = spread(h) & mask;
        int length = to - from;
        String k;
        while ((k = keys[slot]) != null) {
            if (k.length() == length && sameChars(k, chars, from)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private static boolean sameChars(String k, char[] chars, int from) {
        for (int i = 0, n = k.length(); i < n; i++) {
            if (k.charAt(i) != chars[from + i]) {
                return false;
            }
        }
        return true;
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
