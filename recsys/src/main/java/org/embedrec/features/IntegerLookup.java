package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Maps integer keys (user ids, movie ids as they appear in the data) to dense ids through a
 * vocabulary, as Keras' {@code IntegerLookup}. Lookups go through a primitive open-addressing
 * map: no boxing, no allocation.
 *
 * <p><b>Ids</b> are laid out as in {@link StringLookup}: without a mask value, ids
 * {@code 0 .. numOovIndices-1} are the out-of-vocabulary (OOV) buckets and the vocabulary follows;
 * with a mask value, id 0 is the mask, then the OOV buckets, then the vocabulary. With more than
 * one OOV bucket an unknown key goes to bucket {@code StableHash} (fmix64 of the key, salt 0)
 * modulo {@code numOovIndices}; with none it is an error.
 *
 * <p><b>Adapting.</b> The vocabulary is the distinct keys by frequency (highest first), ties
 * broken by ascending key; the mask and OOV values are left out. {@code maxTokens} bounds the
 * total number of ids, mask and OOV included.
 *
 * <p><b>JSON</b> (see {@link PreprocessingLayer}): {@code vocabulary} (array of ints, in id
 * order), {@code numOovIndices}, {@code maskValue} (int or null), {@code oovValue}.
 */
public final class IntegerLookup implements PreprocessingLayer {
    static final String TYPE = "IntegerLookup";
    /** The key {@link #inverse(int)} returns for an OOV id unless configured otherwise (Keras' default). */
    public static final int DEFAULT_OOV_VALUE = -1;

    private final int[] vocabulary;
    private final int numOovIndices;
    private final boolean hasMask;
    private final int maskValue;
    private final int oovValue;
    private final int offset;
    private final IntIndexMap index;

    private IntegerLookup(int[] vocabulary, int numOovIndices, boolean hasMask, int maskValue, int oovValue) {
        if (numOovIndices < 0) {
            throw new IllegalArgumentException("numOovIndices must be >= 0, got " + numOovIndices);
        }
        this.vocabulary = vocabulary.clone();
        this.numOovIndices = numOovIndices;
        this.hasMask = hasMask;
        this.maskValue = hasMask ? maskValue : 0;
        this.oovValue = oovValue;
        this.offset = (hasMask ? 1 : 0) + numOovIndices;
        this.index = new IntIndexMap(vocabulary.length);
        for (int i = 0; i < vocabulary.length; i++) {
            int key = vocabulary[i];
            if ((hasMask && key == maskValue) || key == oovValue) {
                throw new IllegalArgumentException("vocabulary entry " + i + " (" + key + ") is the "
                        + (hasMask && key == maskValue ? "mask" : "OOV") + " value, which has its own id");
            }
            if (index.putIfAbsent(key, offset + i) >= 0) {
                throw new IllegalArgumentException("vocabulary entry " + i + " (" + key + ") is a duplicate");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of ids: mask (if any) + OOV buckets + vocabulary. */
    public int vocabularySize() {
        return offset + vocabulary.length;
    }

    /** A copy of the vocabulary without mask and OOV; entry i has id {@code i + firstVocabularyId()}. */
    public int[] vocabulary() {
        return vocabulary.clone();
    }

    public int firstVocabularyId() {
        return offset;
    }

    public int numOovIndices() {
        return numOovIndices;
    }

    public boolean hasMask() {
        return hasMask;
    }

    /** The mask value; meaningful only if {@link #hasMask()}. */
    public int maskValue() {
        return maskValue;
    }

    public int oovValue() {
        return oovValue;
    }

    public int lookup(int key) {
        return lookup(key, -1);
    }

    /** Writes the id of {@code keys[i]} to {@code out[i]}; {@code out} may be longer than {@code keys}. */
    public void lookup(int[] keys, int[] out) {
        if (out.length < keys.length) {
            throw new IllegalArgumentException("IntegerLookup: output has " + out.length + " elements for "
                    + keys.length + " keys");
        }
        for (int i = 0; i < keys.length; i++) {
            out[i] = lookup(keys[i], i);
        }
    }

    public int[] lookup(int[] keys) {
        int[] out = new int[keys.length];
        lookup(keys, out);
        return out;
    }

    private int lookup(int key, int position) {
        if (hasMask && key == maskValue) {
            return 0;
        }
        int id = index.get(key);
        if (id >= 0) {
            return id;
        }
        int firstOov = hasMask ? 1 : 0;
        if (numOovIndices == 1) {
            return firstOov;
        }
        if (numOovIndices == 0) {
            throw new IllegalArgumentException("IntegerLookup: key " + key
                    + (position >= 0 ? " at position " + position : "")
                    + " is not in the vocabulary and numOovIndices is 0");
        }
        return firstOov + StableHash.bin(StableHash.hashLong(key, 0L), numOovIndices);
    }

    /** The key of an id: the mask value, the OOV value for every OOV bucket, or the vocabulary entry. */
    public int inverse(int id) {
        if (id < 0 || id >= vocabularySize()) {
            throw new IllegalArgumentException("IntegerLookup: id " + id + " out of range [0, " + vocabularySize() + ")");
        }
        if (hasMask && id == 0) {
            return maskValue;
        }
        return id < offset ? oovValue : vocabulary[id - offset];
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("vocabulary", LayerJson.ints(vocabulary));
        node.put("numOovIndices", numOovIndices);
        if (hasMask) {
            node.put("maskValue", maskValue);
        } else {
            node.putNull("maskValue");
        }
        node.put("oovValue", oovValue);
        return node;
    }

    public static IntegerLookup fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        int[] vocabulary = LayerJson.intArray(node, "vocabulary", TYPE);
        int numOov = LayerJson.intField(node, "numOovIndices", TYPE);
        boolean hasMask = !LayerJson.field(node, "maskValue", TYPE).isNull();
        int mask = hasMask ? LayerJson.intField(node, "maskValue", TYPE) : 0;
        int oov = LayerJson.intField(node, "oovValue", TYPE);
        try {
            return new IntegerLookup(vocabulary, numOov, hasMask, mask, oov);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(TYPE, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegerLookup other && numOovIndices == other.numOovIndices && hasMask == other.hasMask
                && maskValue == other.maskValue && oovValue == other.oovValue
                && Arrays.equals(vocabulary, other.vocabulary);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vocabulary) + (numOovIndices * 17 + (hasMask ? maskValue : 7)) * 13 + oovValue;
    }

    @Override
    public String toString() {
        return "IntegerLookup[vocabularySize=" + vocabularySize() + ", numOovIndices=" + numOovIndices
                + ", maskValue=" + (hasMask ? String.valueOf(maskValue) : "none") + "]";
    }

    /** Configuration plus the counts gathered by {@link #adapt}; not thread-safe. */
    public static final class Builder {
        private int maxTokens = -1;
        private int numOovIndices = 1;
        private boolean hasMask;
        private int maskValue;
        private int oovValue = DEFAULT_OOV_VALUE;
        private int[] vocabulary;
        private final IntIndexMap slots = new IntIndexMap(1024);
        private int[] keys = new int[1024];
        private long[] counts = new long[1024];

        private Builder() {
        }

        /** Bound on {@link #vocabularySize()}, mask and OOV ids included; unbounded by default. */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder numOovIndices(int numOovIndices) {
            if (numOovIndices < 0) {
                throw new IllegalArgumentException("numOovIndices must be >= 0, got " + numOovIndices);
            }
            this.numOovIndices = numOovIndices;
            return this;
        }

        /** A key that maps to id 0 (e.g. 0 for padding); none by default. */
        public Builder maskValue(int maskValue) {
            this.hasMask = true;
            this.maskValue = maskValue;
            return this;
        }

        public Builder oovValue(int oovValue) {
            this.oovValue = oovValue;
            return this;
        }

        /** Uses this vocabulary (in id order) instead of adapting. */
        public Builder vocabulary(int[] vocabulary) {
            this.vocabulary = vocabulary.clone();
            return this;
        }

        /** Counts the keys of one batch of training data. */
        public Builder adapt(int[] batch) {
            for (int key : batch) {
                int slot = slots.size();
                int existing = slots.putIfAbsent(key, slot);
                if (existing >= 0) {
                    counts[existing]++;
                } else {
                    if (slot == keys.length) {
                        keys = Arrays.copyOf(keys, slot * 2);
                        counts = Arrays.copyOf(counts, slot * 2);
                    }
                    keys[slot] = key;
                    counts[slot] = 1;
                }
            }
            return this;
        }

        public IntegerLookup build() {
            int reserved = (hasMask ? 1 : 0) + numOovIndices;
            if (maxTokens >= 0 && maxTokens <= reserved) {
                throw new IllegalArgumentException("maxTokens " + maxTokens + " leaves no room for a vocabulary after "
                        + reserved + " mask and OOV ids");
            }
            int limit = maxTokens < 0 ? Integer.MAX_VALUE : maxTokens - reserved;
            if (vocabulary != null) {
                if (slots.size() > 0) {
                    throw new IllegalStateException("IntegerLookup.Builder: both a vocabulary and adapt() data were given");
                }
                if (vocabulary.length > limit) {
                    throw new IllegalArgumentException("vocabulary of " + vocabulary.length + " entries exceeds maxTokens "
                            + maxTokens + " minus " + reserved + " mask and OOV ids");
                }
                return new IntegerLookup(vocabulary, numOovIndices, hasMask, maskValue, oovValue);
            }
            int n = slots.size();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int byCount = Long.compare(counts[b], counts[a]);
                return byCount != 0 ? byCount : Integer.compare(keys[a], keys[b]);
            });
            int[] vocab = new int[Math.min(n, limit)];
            int size = 0;
            for (int i = 0; i < n && size < vocab.length; i++) {
                int key = keys[order[i]];
                if ((hasMask && key == maskValue) || key == oovValue) {
                    continue;
                }
                vocab[size++] = key;
            }
            return new IntegerLookup(Arrays.copyOf(vocab, size), numOovIndices, hasMask, maskValue, oovValue);
        }
    }
}
