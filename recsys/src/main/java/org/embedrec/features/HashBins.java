package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state {@link Hashing} and {@link CategoryCross} share: {@code numBins} bins of a
 * {@link StableHash} salted with {@code salt}. It holds their check, JSON fields
 * ({@code numBins}, {@code salt}) and string form, each named for {@code layer}; the layers keep
 * their own {@code equals}, so a {@code Hashing} never equals a {@code CategoryCross}.
 */
record HashBins(String layer, int numBins, long salt) {
    HashBins {
        if (numBins < 1) {
            throw new IllegalArgumentException(layer + ": numBins must be >= 1, got " + numBins);
        }
    }

    /** The bin of a hash: the hash as an unsigned number modulo {@code numBins}. */
    int bin(long hash) {
        return StableHash.bin(hash, numBins);
    }

    int binOf(CharSequence value) {
        return bin(StableHash.hashString(value, salt));
    }

    int binOf(long value) {
        return bin(StableHash.hashLong(value, salt));
    }

    ObjectNode toJson() {
        ObjectNode node = LayerJson.header(layer);
        node.put("numBins", numBins);
        node.put("salt", salt);
        return node;
    }

    static HashBins fromJson(JsonNode node, String layer) {
        LayerJson.checkHeader(node, layer);
        int numBins = LayerJson.intField(node, "numBins", layer);
        long salt = LayerJson.longField(node, "salt", layer);
        try {
            return new HashBins(layer, numBins, salt);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(layer, e);
        }
    }

    @Override
    public int hashCode() {
        return 31 * numBins + Long.hashCode(salt);
    }

    @Override
    public String toString() {
        return layer + "[numBins=" + numBins + ", salt=" + salt + "]";
    }
}
