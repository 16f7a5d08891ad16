package org.embedrec.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A vocabulary of raw ids (the strings found in the input) and the dense ints {@code [0, size)}
 * that stand for them, in the order they were first seen. Lookup works both ways:
 * {@link #rawId(int)} and {@link #denseId(String)}. Immutable; build one with {@link Builder}.
 */
public final class IdMapping {
    private final String[] raw;
    private final Map<String, Integer> dense;

    private IdMapping(String[] raw, Map<String, Integer> dense) {
        this.raw = raw;
        this.dense = dense;
    }

    /** A mapping of the given raw ids in order; duplicates are an error. */
    public static IdMapping of(List<String> rawIds) {
        Builder b = new Builder();
        for (String id : rawIds) {
            if (b.denseId(id) >= 0) {
                throw new IllegalArgumentException("duplicate raw id '" + id + "'");
            }
            b.add(id);
        }
        return b.build();
    }

    /**
     * A mapping of {@code rawIds} in order, which the caller guarantees distinct (a reader that has
     * already interned them); the array is kept, not copied.
     */
    public static IdMapping ofDistinct(String[] rawIds) {
        Map<String, Integer> dense = new HashMap<>(rawIds.length * 4 / 3 + 1);
        for (int d = 0; d < rawIds.length; d++) {
            if (dense.put(rawIds[d], d) != null) {
                throw new IllegalArgumentException("duplicate raw id '" + rawIds[d] + "'");
            }
        }
        return new IdMapping(rawIds, Collections.unmodifiableMap(dense));
    }

    public int size() {
        return raw.length;
    }

    /** The raw id of a dense id. */
    public String rawId(int denseId) {
        if (denseId < 0 || denseId >= raw.length) {
            throw new IndexOutOfBoundsException("dense id " + denseId + " outside [0, " + raw.length + ")");
        }
        return raw[denseId];
    }

    /** The dense id of a raw id, or -1 when it is not in the vocabulary. */
    public int denseId(String rawId) {
        Integer d = dense.get(rawId);
        return d == null ? -1 : d;
    }

    public boolean contains(String rawId) {
        return dense.containsKey(rawId);
    }

    /** The raw ids in dense order. */
    public List<String> rawIds() {
        return List.of(raw);
    }

    @Override
    public String toString() {
        return "IdMapping[size=" + raw.length + "]";
    }

    /** Interns raw ids to dense ints in order of first appearance. */
    public static final class Builder {
        private String[] raw = new String[64];
        private int size;
        private final HashMap<String, Integer> dense = new HashMap<>();

        public Builder() {
        }

        /** Starts from an existing mapping, keeping its ids. */
        public Builder(IdMapping from) {
            raw = Arrays.copyOf(from.raw, Math.max(64, from.raw.length));
            size = from.raw.length;
            dense.putAll(from.dense);
        }

        /** The dense id of {@code rawId}, adding it if new. */
        public int add(String rawId) {
            Integer d = dense.get(rawId);
            if (d != null) {
                return d;
            }
            if (size == raw.length) {
                raw = Arrays.copyOf(raw, size * 2);
            }
            raw[size] = rawId;
            dense.put(rawId, size);
            return size++;
        }

        /** The dense id of {@code rawId}, or -1 if it has not been added. */
        public int denseId(String rawId) {
            Integer d = dense.get(rawId);
            return d == null ? -1 : d;
        }

        public int size() {
            return size;
        }

        public IdMapping build() {
            return new IdMapping(Arrays.copyOf(raw, size), Map.copyOf(dense));
        }
    }
}
