package org.embedrec.features;

/**
 * What a tower builds for one of its inputs: an embedding table of {@code vocabularySize} rows
 * and {@code embeddingDim} columns (summed over a bag when {@code sumPooling}, else averaged),
 * or, with {@code vocabularySize == 0}, nothing: the input is one float fed as it is.
 */
public record TowerInput(String name, int vocabularySize, int embeddingDim, boolean sumPooling) {

    static TowerInput ids(String name, int vocabularySize, int embeddingDim, boolean sumPooling) {
        return new TowerInput(name, vocabularySize, embeddingDim, sumPooling);
    }

    static TowerInput value(String name) {
        return new TowerInput(name, 0, 0, false);
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
