package org.embedrec.data;

import java.util.Arrays;

/**
 * long to non-negative int, open addressing with linear probing over two primitive arrays, so
 * that interning an id neither boxes nor allocates. Grows when half full. Not thread-safe: each
 * reading thread owns its own; lookups alone may be shared once filled.
 */
public final class LongIntMap {
    private long[] keys;
    private int[] values;
    private int mask;
    private int size;

    public LongIntMap(int expectedSize) {
        allocate(Integer.highestOneBit(Math.max(4, expectedSize * 2 - 1)) << 1);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, -1);
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** The value of {@code key}, or -1 when absent. */
    public int get(long key) {
        int slot = slot(key);
        while (values[slot] >= 0) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** The value of {@code key}; if absent, first maps it to {@code value} (>= 0). */
    public int putIfAbsent(long key, int value) {
        int slot = slot(key);
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
        return value;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(keys.length * 2);
        for (int s = 0; s < oldKeys.length; s++) {
            if (oldValues[s] >= 0) {
                int slot = slot(oldKeys[s]);
                while (values[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[s];
                values[slot] = oldValues[s];
            }
        }
    }

    /** A murmur3 finaliser: ids are often consecutive, which linear probing would pile up. */
    private int slot(long key) {
        long h = key * 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
