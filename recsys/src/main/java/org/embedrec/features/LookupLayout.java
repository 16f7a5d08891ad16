package org.embedrec.features;

/**
 * How {@link StringLookup} and {@link IntegerLookup} lay out their ids: id 0 is the mask if there
 * is one, then {@code numOovIndices} out-of-vocabulary (OOV) buckets, then the vocabulary from
 * {@link #offset()}. An unknown key goes to the only bucket, or with several to bucket
 * {@code StableHash} (salt 0) modulo {@code numOovIndices}, or with none is an error. Also the
 * checks of {@code numOovIndices} and {@code maxTokens} both lookups and their builders make;
 * messages name {@code layer}.
 */
record LookupLayout(String layer, int numOovIndices, boolean hasMask) {
    LookupLayout {
        checkNumOovIndices(numOovIndices);
    }

    static int checkNumOovIndices(int numOovIndices) {
        if (numOovIndices < 0) {
            throw new IllegalArgumentException("numOovIndices must be >= 0, got " + numOovIndices);
        }
        return numOovIndices;
    }

    static int checkMaxTokens(int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        return maxTokens;
    }

    int firstOovId() {
        return hasMask ? 1 : 0;
    }

    /** The id of the first vocabulary entry: the number of mask and OOV ids before it. */
    int offset() {
        return firstOovId() + numOovIndices;
    }

    /** The OOV id of an integer key that is not in the vocabulary; {@code position} -1 if none. */
    int oovId(int key, int position) {
        if (numOovIndices == 0) {
            throw notInVocabulary("key " + key, position);
        }
        return numOovIndices == 1 ? firstOovId() : bucket(StableHash.hashLong(key, 0L));
    }

    /** The OOV id of a string that is not in the vocabulary; {@code position} -1 if none. */
    int oovId(String value, int position) {
        if (numOovIndices == 0) {
            throw notInVocabulary("\"" + value + "\"", position);
        }
        return numOovIndices == 1 ? firstOovId() : bucket(StableHash.hashString(value, 0L));
    }

    private int bucket(long hash) {
        return firstOovId() + StableHash.bin(hash, numOovIndices);
    }

    private IllegalArgumentException notInVocabulary(String key, int position) {
        return new IllegalArgumentException(layer + ": " + key + (position >= 0 ? " at position " + position : "")
                + " is not in the vocabulary and numOovIndices is 0");
    }

    /** Checks that {@code id} is one of the {@code vocabularySize} ids. */
    void checkId(int id, int vocabularySize) {
        if (id < 0 || id >= vocabularySize) {
            throw new IllegalArgumentException(layer + ": id " + id + " out of range [0, " + vocabularySize + ")");
        }
    }

    /**
     * How many vocabulary entries fit in {@code maxTokens} ids after the mask and OOV ids, or -1 if
     * {@code maxTokens} is -1 (unbounded); an error if none fit.
     */
    int vocabularyLimit(int maxTokens) {
        int reserved = offset();
        if (maxTokens >= 0 && maxTokens <= reserved) {
            throw new IllegalArgumentException("maxTokens " + maxTokens + " leaves no room for a vocabulary after "
                    + reserved + " mask and OOV ids");
        }
        return maxTokens < 0 ? -1 : maxTokens - reserved;
    }

    /** Checks a vocabulary of {@code size} entries given to a builder in place of {@code adapt()} data. */
    void checkGivenVocabulary(int size, boolean adapted, int maxTokens) {
        if (adapted) {
            throw new IllegalStateException(layer + ".Builder: both a vocabulary and adapt() data were given");
        }
        int limit = vocabularyLimit(maxTokens);
        if (limit >= 0 && size > limit) {
            throw new IllegalArgumentException("vocabulary of " + size + " entries exceeds maxTokens "
                    + maxTokens + " minus " + offset() + " mask and OOV ids");
        }
    }
}
