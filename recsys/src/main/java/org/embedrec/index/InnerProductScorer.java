package org.embedrec.index;

import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * Lucene's view of our vectors at search time: the similarity of graph node {@code i} to a query
 * is the raw inner product, computed by {@link BruteForceIndex#score} (the SIMD dot kernel) on
 * our own on-heap rows. Node ordinals are item ids. (The graph is built on another similarity,
 * {@link MobiusScorer}.)
 *
 * <p>Lucene's {@code MAXIMUM_INNER_PRODUCT} similarity reports {@code 1 + dot} for
 * {@code dot >= 0} and {@code 1 / (1 - dot)} below, only to keep Lucene query scores
 * non-negative. That transform is monotone and a graph search only compares similarities, so the
 * raw product finds the same neighbours, and its scores are already the exact ones
 * {@link TopKIndex} reports.
 */
final class InnerProductScorer implements RandomVectorScorer {
    private final BruteForceIndex vectors;
    private final float[] query;

    private InnerProductScorer(BruteForceIndex vectors, float[] query) {
        this.vectors = vectors;
        this.query = query;
    }

    /** Scores nodes against a query of {@code vectors.dim()} values. */
    static InnerProductScorer forQuery(BruteForceIndex vectors, float[] query) {
        return new InnerProductScorer(vectors, query);
    }

    @Override
    public float score(int node) {
        return vectors.score(query, 0, node);
    }

    @Override
    public int maxOrd() {
        return vectors.size();
    }
}
