package org.embedrec.index;

import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's view of our vectors: the similarity of graph node {@code i} to a fixed vector is the
 * raw inner product, computed by {@link BruteForceIndex#score} (the SIMD dot kernel) on our
 * own on-heap rows. Node ordinals are item ids.
 *
 * <p>Lucene's {@code MAXIMUM_INNER_PRODUCT} similarity reports {@code 1 + dot} for
 * {@code dot >= 0} and {@code 1 / (1 - dot)} below, only to keep Lucene query scores
 * non-negative. That transform is monotone and the graph only compares similarities, so the raw
 * product builds the same graph and finds the same neighbours, and its scores are already the
 * exact ones {@link TopKIndex} reports.
 */
final class InnerProductScorer implements RandomVectorScorer {
    private final BruteForceIndex vectors;
    private final float[] target;
    private final int targetOffset;

    private InnerProductScorer(BruteForceIndex vectors, float[] target, int targetOffset) {
        this.vectors = vectors;
        this.target = target;
        this.targetOffset = targetOffset;
    }

    /** Scores nodes against a query of {@code vectors.dim()} values. */
    static InnerProductScorer forQuery(BruteForceIndex vectors, float[] query) {
        return new InnerProductScorer(vectors, query, 0);
    }

    /** Scores nodes against other nodes, as the graph builder needs. */
    static RandomVectorScorerSupplier supplier(BruteForceIndex vectors) {
        return new RandomVectorScorerSupplier() {
            @Override
            public RandomVectorScorer scorer(int ord) {
                return new InnerProductScorer(vectors, vectors.rows(), ord * vectors.dim());
            }

            @Override
            public RandomVectorScorerSupplier copy() {
                return this; // immutable: safe to share between threads
            }
        };
    }

    @Override
    public float score(int node) {
        return vectors.score(target, targetOffset, node);
    }

    @Override
    public int maxOrd() {
        return vectors.size();
    }
}
