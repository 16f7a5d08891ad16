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

    private final HashBins bins;

    public Hashing(int numBins, long salt) {
        this(new HashBins(TYPE, numBins, salt));
    }

    public Hashing(int numBins) {
        this(numBins, 0L);
    }

    private Hashing(HashBins bins) {
        this.bins = bins;
    }

    public int numBins() {
        return bins.numBins();
    }

    public long salt() {
        return bins.salt();
    }

    public int hash(String value) {
        if (value == null) {
            throw new IllegalArgumentException("Hashing: value is null");
        }
        return bins.binOf(value);
    }

    public int hash(long value) {
        return bins.binOf(value);
    }

    /** Writes the bin of {@code values[i]} to {@code out[i]}; {@code out} may be longer. */
    public void hash(String[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("Hashing: value at position " + i + " is null");
            }
            out[i] = bins.binOf(values[i]);
        }
    }

    public void hash(int[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            out[i] = bins.binOf(values[i]);
        }
    }

    public void hash(long[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            out[i] = bins.binOf(values[i]);
        }
    }

    private static void checkOutput(int n, int[] out) {
        if (out.length < n) {
            throw new IllegalArgumentException("Hashing: output has " + out.length + " elements for " + n + " values");
        }
    }

    @Override
    public ObjectNode toJson() {
        return bins.toJson();
    }

    public static Hashing fromJson(JsonNode node) {
        return new Hashing(HashBins.fromJson(node, TYPE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hashing other && bins.equals(other.bins);
    }

    @Override
    public int hashCode() {
        return bins.hashCode();
    }

    @Override
    public String toString() {
        return bins.toString();
    }
}
