package org.embedrec.features;

/**
 * What a tower builds for one of its inputs: an embedding table of {@code vocabularySize} rows
 * and {@code embeddingDim} columns (summed over a bag when {@code sumPooling}; read in order when
 * {@code sequencePooling} is {@code "gru"} or {@code "attention"}, a bag of {@code sequenceLength}
 * entries, as the query tower of TensorFlow Recommenders' sequential retrieval tutorial; else
 * averaged),
 * starting normal with standard deviation {@code initStddev} (Keras's uniform default when 0),
 * or, with {@code vocabularySize == 0}, nothing: the input is one float fed as it is.
 */
public record TowerInput(String name, int vocabularySize, int embeddingDim, boolean sumPooling, double initStddev,
                         String sequencePooling, int sequenceLength) {

    public TowerInput {
        if (sequencePooling != null && (sumPooling || sequenceLength < 1)) {
            throw new IllegalArgumentException("input '" + name + "': a bag read in order (" + sequencePooling
                    + ") is not summed and has at least one entry, got sum " + sumPooling + ", length "
                    + sequenceLength);
        }
    }

    /** An input pooled by its mean or sum. */
    public TowerInput(String name, int vocabularySize, int embeddingDim, boolean sumPooling, double initStddev) {
        this(name, vocabularySize, embeddingDim, sumPooling, initStddev, null, 0);
    }

    /** Whether the input is a bag read in order rather than pooled. */
    public boolean ordered() {
        return sequencePooling != null;
    }

    /** An input whose table starts as Keras's default. */
    public TowerInput(String name, int vocabularySize, int embeddingDim, boolean sumPooling) {
        this(name, vocabularySize, embeddingDim, sumPooling, 0.0);
    }

    static TowerInput ids(String name, int vocabularySize, int embeddingDim, boolean sumPooling, double initStddev) {
        return new TowerInput(name, vocabularySize, embeddingDim, sumPooling, initStddev);
    }

    static TowerInput value(String name) {
        return new TowerInput(name, 0, 0, false, 0.0);
    }

    /** True for an input fed as one float. */
    public boolean isValue() {
        return vocabularySize == 0;
    }

    /** Columns this input contributes to the tower's concatenation. */
    public int width() {
        return isValue() ? 1 : embeddingDim;
    }
}
