package org.embedrec.features;

/**
 * int to non-negative int, open addressing with linear probing over two primitive arrays, so
 * that a lookup neither boxes nor allocates. An empty slot holds the value -1. Grows when half
 * full.
 */
public final class IntIndexMap {
    private int[] keys;
    private int[] values;
    private int mask;
    private int size;

    public IntIndexMap(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedSize * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        values = new int[capacity];
        java.util.Arrays.fill(values, -1);
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** Inserts a key that is not yet present; returns the existing value (and changes nothing) if it is, else -1. */
    public int putIfAbsent(int key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative, got " + value);
        }
        int slot = spread(key) & mask;
        while (values[slot] >= 0) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return -1;
    }

    /** The value of {@code key}, or -1 if absent. */
    public int get(int key) {
        int slot = spread(key) & mask;
        int v;
        while ((v = values[slot]) >= 0) {
            if (keys[slot] == key) {
                return v;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] >= 0) {
                int slot = spread(oldKeys[i]) & mask;
                while (values[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
