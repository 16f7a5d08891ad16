package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Maps strings to integer ids through a vocabulary, as Keras' {@code StringLookup}.
 *
 * <p><b>Ids.</b> Without a mask token: ids {@code 0 .. numOovIndices-1} are the out-of-vocabulary
 * (OOV) buckets and the vocabulary follows from id {@code numOovIndices}. With a mask token: id 0
 * is the mask, ids {@code 1 .. numOovIndices} the OOV buckets, then the vocabulary. With the
 * defaults (one OOV bucket, no mask) id 0 is OOV and the i-th vocabulary entry has id i+1. With
 * more than one OOV bucket an unknown string goes to bucket {@code StableHash} (FNV-1a + fmix64,
 * salt 0) modulo {@code numOovIndices}; with none an unknown string is an error.
 * {@link #vocabularySize()} counts all ids and is the input size an {@code Embedding} needs.
 *
 * <p><b>Adapting.</b> The vocabulary is the distinct strings seen, by frequency (highest first),
 * ties broken by ascending {@link String#compareTo} order, so it does not depend on the order or
 * batching of the data. The mask and OOV tokens are never part of it. {@code maxTokens} bounds
 * the total number of ids, mask and OOV buckets included (Keras' meaning).
 *
 * <p><b>JSON</b> (see {@link PreprocessingLayer}): {@code vocabulary} (array of strings, in id
 * order), {@code numOovIndices}, {@code maskToken} (string or null), {@code oovToken}.
 */
public final class StringLookup implements PreprocessingLayer {
    static final String TYPE = "StringLookup";
    /** The token {@link #inverse(int)} returns for an OOV id unless configured otherwise. */
    public static final String DEFAULT_OOV_TOKEN = "[UNK]";

    private final LookupLayout layout;
    private final List<String> vocabulary;
    private final String maskToken;
    private final String oovToken;
    private final int offset;
    private final StringIndexMap index;

    private StringLookup(List<String> vocabulary, int numOovIndices, String maskToken, String oovToken) {
        this.layout = new LookupLayout(TYPE, numOovIndices, maskToken != null);
        this.oovToken = Objects.requireNonNull(oovToken, "oovToken");
        this.vocabulary = List.copyOf(vocabulary);
        this.maskToken = maskToken;
        this.offset = layout.offset();
        this.index = new StringIndexMap(this.vocabulary.size());
        for (int i = 0; i < this.vocabulary.size(); i++) {
            String token = this.vocabulary.get(i);
            if (token.equals(maskToken) || token.equals(oovToken)) {
                throw new IllegalArgumentException("vocabulary entry " + i + " \"" + token
                        + "\" is the " + (token.equals(maskToken) ? "mask" : "OOV") + " token, which has its own id");
            }
            if (!index.putIfAbsent(token, offset + i)) {
                throw new IllegalArgumentException("vocabulary entry " + i + " \"" + token + "\" is a duplicate");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of ids: mask (if any) + OOV buckets + vocabulary. */
    public int vocabularySize() {
        return offset + vocabulary.size();
    }

    /** The learned (or given) vocabulary, without mask and OOV tokens; entry i has id {@code i + firstVocabularyId()}. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** The id of the first vocabulary entry: the number of mask and OOV ids before it. */
    public int firstVocabularyId() {
        return offset;
    }

    public int numOovIndices() {
        return layout.numOovIndices();
    }

    /** The mask token, or null if there is none. */
    public String maskToken() {
        return maskToken;
    }

    public String oovToken() {
        return oovToken;
    }

    /** The id of {@code value}; see the class comment for mask and OOV ids. */
    public int lookup(String value) {
        if (value == null) {
            throw new IllegalArgumentException("StringLookup: value is null");
        }
        return lookupNonNull(value, -1);
    }

    /** Writes the id of {@code values[i]} to {@code out[i]}; {@code out} may be longer than {@code values}. */
    public void lookup(String[] values, int[] out) {
        if (out.length < values.length) {
            throw new IllegalArgumentException("StringLookup: output has " + out.length + " elements for "
                    + values.length + " values");
        }
        for (int i = 0; i < values.length; i++) {
            String v = values[i];
            if (v == null) {
                throw new IllegalArgumentException("StringLookup: value at position " + i + " is null");
            }
            out[i] = lookupNonNull(v, i);
        }
    }

    public int[] lookup(String[] values) {
        int[] out = new int[values.length];
        lookup(values, out);
        return out;
    }

    private int lookupNonNull(String value, int position) {
        if (maskToken != null && maskToken.equals(value)) {
            return 0;
        }
        int id = index.get(value);
        return id >= 0 ? id : layout.oovId(value, position);
    }

    /** The string of an id: the mask token, the OOV token for every OOV bucket, or the vocabulary entry. */
    public String inverse(int id) {
        layout.checkId(id, vocabularySize());
        if (maskToken != null && id == 0) {
            return maskToken;
        }
        return id < offset ? oovToken : vocabulary.get(id - offset);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("vocabulary", LayerJson.strings(vocabulary));
        node.put("numOovIndices", layout.numOovIndices());
        node.put("maskToken", maskToken);
        node.put("oovToken", oovToken);
        return node;
    }

    public static StringLookup fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        List<String> vocabulary = LayerJson.stringList(node, "vocabulary", TYPE);
        int numOov = LayerJson.intField(node, "numOovIndices", TYPE);
        String mask = LayerJson.nullableText(node, "maskToken", TYPE);
        String oov = LayerJson.text(node, "oovToken", TYPE);
        try {
            return new StringLookup(vocabulary, numOov, mask, oov);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(TYPE, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringLookup other && layout.equals(other.layout)
                && Objects.equals(maskToken, other.maskToken) && oovToken.equals(other.oovToken)
                && vocabulary.equals(other.vocabulary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vocabulary, layout.numOovIndices(), maskToken, oovToken);
    }

    @Override
    public String toString() {
        return "StringLookup[vocabularySize=" + vocabularySize() + ", numOovIndices=" + layout.numOovIndices()
                + ", maskToken=" + (maskToken == null ? "none" : "\"" + maskToken + "\"") + "]";
    }

    /** Configuration plus the counts gathered by {@link #adapt}; not thread-safe. */
    public static final class Builder {
        private int maxTokens = -1;
        private int numOovIndices = 1;
        private String maskToken;
        private String oovToken = DEFAULT_OOV_TOKEN;
        private List<String> vocabulary;
        private final TokenCounts counts = new TokenCounts();

        private Builder() {
        }

        /** Bound on {@link #vocabularySize()}, mask and OOV ids included; unbounded by default. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = LookupLayout.checkMaxTokens(maxTokens);
            return this;
        }

        /** Number of OOV buckets, >= 0; 1 by default; 0 makes unknown strings an error. */
        public Builder numOovIndices(int numOovIndices) {
            this.numOovIndices = LookupLayout.checkNumOovIndices(numOovIndices);
            return this;
        }

        /** A token that maps to id 0 (e.g. "" for padding); none by default. */
        public Builder maskToken(String maskToken) {
            this.maskToken = Objects.requireNonNull(maskToken, "maskToken");
            return this;
        }

        public Builder oovToken(String oovToken) {
            this.oovToken = Objects.requireNonNull(oovToken, "oovToken");
            return this;
        }

        /** Uses this vocabulary (in id order) instead of adapting. */
        public Builder vocabulary(List<String> vocabulary) {
            for (int i = 0; i < vocabulary.size(); i++) {
                if (vocabulary.get(i) == null) {
                    throw new IllegalArgumentException("vocabulary entry " + i + " is null");
                }
            }
            this.vocabulary = List.copyOf(vocabulary);
            return this;
        }

        /** Counts the strings of one batch of training data. */
        public Builder adapt(String[] values) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    throw new IllegalArgumentException("StringLookup.adapt: value at position " + i + " is null");
                }
                counts.add(values[i]);
            }
            return this;
        }

        /**
         * Counts {@code value} as {@code count} occurrences: the vocabulary depends on counts only,
         * so values counted where they are (a cluster's partitions) give the vocabulary they would
         * give together.
         */
        public Builder adapt(String value, long count) {
            if (value == null) {
                throw new IllegalArgumentException("StringLookup.adapt: a null value (count " + count + ")");
            }
            counts.add(value, count);
            return this;
        }

        public Builder adapt(Iterable<String> values) {
            int i = 0;
            for (String v : values) {
                if (v == null) {
                    throw new IllegalArgumentException("StringLookup.adapt: value at position " + i + " is null");
                }
                counts.add(v);
                i++;
            }
            return this;
        }

        public StringLookup build() {
            LookupLayout layout = new LookupLayout(TYPE, numOovIndices, maskToken != null);
            int limit = layout.vocabularyLimit(maxTokens);
            List<String> vocab;
            if (vocabulary != null) {
                layout.checkGivenVocabulary(vocabulary.size(), counts.distinct() > 0, maxTokens);
                vocab = vocabulary;
            } else {
                vocab = counts.vocabulary(limit, maskToken == null ? oovToken : maskToken, oovToken);
            }
            return new StringLookup(vocab, numOovIndices, maskToken, oovToken);
        }
    }
}
