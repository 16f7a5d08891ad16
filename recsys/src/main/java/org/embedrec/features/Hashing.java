package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hashes strings or integers into {@code numBins} bins, as Keras' {@code Hashing}: bin =
 * hash(value, salt) mod numBins, with the hash defined bit for bit on {@code StableHash} (64-bit
 * FNV-1a over UTF-8 for strings, a MurmurHash3 finaliser for integers, both salted), so bins are
 * the same on every JVM. An {@code int} and the equal {@code long} land in the same bin. Different
 * salts give independent hashings, e.g. for the several hash functions of a Bloom-style
 * embedding. Keras uses FarmHash, so bins differ from Keras'.
 *
 * <p><b>JSON</b> (see {@link PreprocessingLayer}): {@code numBins}, {@code salt}.
 */
public final class Hashing implements PreprocessingLayer {
    static final String TYPE = "Hashing";

    private final int numBins;
    private final long salt;

    public Hashing(int numBins, long salt) {
        if (numBins < 1) {
            throw new IllegalArgumentException("Hashing: numBins must be >= 1, got " + numBins);
        }
        this.numBins = numBins;
        this.salt = salt;
    }

    public Hashing(int numBins) {
        this(numBins, 0L);
    }

    public int numBins() {
        return numBins;
    }

    public long salt() {
        return salt;
    }

    public int hash(String value) {
        if (value == null) {
            throw new IllegalArgumentException("Hashing: value is null");
        }
        return StableHash.bin(StableHash.hashString(value, salt), numBins);
    }

    public int hash(long value) {
        return StableHash.bin(StableHash.hashLong(value, salt), numBins);
    }

    /** Writes the bin of {@code values[i]} to {@code out[i]}; {@code out} may be longer. */
    public void hash(String[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("Hashing: value at position " + i + " is null");
            }
            out[i] = StableHash.bin(StableHash.hashString(values[i], salt), numBins);
        }
    }

    public void hash(int[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            out[i] = StableHash.bin(StableHash.hashLong(values[i], salt), numBins);
        }
    }

    public void hash(long[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            out[i] = StableHash.bin(StableHash.hashLong(values[i], salt), numBins);
        }
    }

    private static void checkOutput(int n, int[] out) {
        if (out.length < n) {
            throw new IllegalArgumentException("Hashing: output has " + out.length + " elements for " + n + " values");
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.put("numBins", numBins);
        node.put("salt", salt);
        return node;
    }

    public static Hashing fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        int numBins = LayerJson.intField(node, "numBins", TYPE);
        long salt = LayerJson.longField(node, "salt", TYPE);
        try {
            return new Hashing(numBins, salt);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(TYPE, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hashing other && numBins == other.numBins && salt == other.salt;
    }

    @Override
    public int hashCode() {
        return 31 * numBins + Long.hashCode(salt);
    }

    @Override
    public String toString() {
        return "Hashing[numBins=" + numBins + ", salt=" + salt + "]";
    }
}
