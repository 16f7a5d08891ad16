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

    private final LookupLayout layout;
    private final int[] vocabulary;
    private final int maskValue;
    private final int oovValue;
    private final int offset;
    private final IntIndexMap index;

    private IntegerLookup(int[] vocabulary, int numOovIndices, boolean hasMask, int maskValue, int oovValue) {
        this.layout = new LookupLayout(TYPE, numOovIndices, hasMask);
        this.vocabulary = vocabulary.clone();
        this.maskValue = hasMask ? maskValue : 0;
        this.oovValue = oovValue;
        this.offset = layout.offset();
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
        return layout.numOovIndices();
    }

    public boolean hasMask() {
        return layout.hasMask();
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
        if (layout.hasMask() && key == maskValue) {
            return 0;
        }
        int id = index.get(key);
        return id >= 0 ? id : layout.oovId(key, position);
    }

    /** The key of an id: the mask value, the OOV value for every OOV bucket, or the vocabulary entry. */
    public int inverse(int id) {
        layout.checkId(id, vocabularySize());
        if (layout.hasMask() && id == 0) {
            return maskValue;
        }
        return id < offset ? oovValue : vocabulary[id - offset];
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("vocabulary", LayerJson.ints(vocabulary));
        node.put("numOovIndices", layout.numOovIndices());
        if (layout.hasMask()) {
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
        return o instanceof IntegerLookup other && layout.equals(other.layout)
                && maskValue == other.maskValue && oovValue == other.oovValue
                && Arrays.equals(vocabulary, other.vocabulary);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vocabulary)
                + (layout.numOovIndices() * 17 + (layout.hasMask() ? maskValue : 7)) * 13 + oovValue;
    }

    @Override
    public String toString() {
        return "IntegerLookup[vocabularySize=" + vocabularySize() + ", numOovIndices=" + layout.numOovIndices()
                + ", maskValue=" + (layout.hasMask() ? String.valueOf(maskValue) : "none") + "]";
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
            this.maxTokens = LookupLayout.checkMaxTokens(maxTokens);
            return this;
        }

        public Builder numOovIndices(int numOovIndices) {
            this.numOovIndices = LookupLayout.checkNumOovIndices(numOovIndices);
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
                add(key, 1);
            }
            return this;
        }

        /** Counts {@code key} as {@code count} occurrences (the vocabulary depends on counts only). */
        public Builder adapt(int key, long count) {
            if (count < 1) {
                throw new IllegalArgumentException("IntegerLookup.adapt: count " + count + " for key " + key
                        + ", expected >= 1");
            }
            add(key, count);
            return this;
        }

        private void add(int key, long count) {
            int slot = slots.size();
            int existing = slots.putIfAbsent(key, slot);
            if (existing >= 0) {
                counts[existing] += count;
            } else {
                if (slot == keys.length) {
                    keys = Arrays.copyOf(keys, slot * 2);
                    counts = Arrays.copyOf(counts, slot * 2);
                }
                keys[slot] = key;
                counts[slot] = count;
            }
        }

        public IntegerLookup build() {
            LookupLayout layout = new LookupLayout(TYPE, numOovIndices, hasMask);
            int limit = layout.vocabularyLimit(maxTokens);
            if (vocabulary != null) {
                layout.checkGivenVocabulary(vocabulary.length, slots.size() > 0, maxTokens);
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
            int[] vocab = new int[limit < 0 ? n : Math.min(n, limit)];
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
