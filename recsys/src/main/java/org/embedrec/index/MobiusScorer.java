package org.embedrec.index;

import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * The similarity {@link HnswIndex} builds its graph on: minus the squared Euclidean distance
 * between Möbius-transformed items {@code y_i = v_i / |v_i|^2} (Zhou et al. 2019),
 * {@code -|y_i - y_j|^2 = 2 (v_i . v_j) / (|v_i|^2 |v_j|^2) - 1 / |v_i|^2 - 1 / |v_j|^2},
 * from the raw product (the SIMD dot kernel on our own rows) and each item's inverse squared
 * norm, with no transformed copy of the vectors.
 *
 * <p>Every term is scaled by the largest squared norm {@code M^2} (a positive factor, which the
 * graph, comparing only similarities, ignores), so the inverse norms {@code M^2 / |v_i|^2} start
 * at 1 whatever the vectors' scale. They are capped at {@value #MAX_INVERSE} (norms below a
 * millionth of the largest, zero included), which keeps every score finite; the sum is taken in
 * double, as it is a small difference of large terms for nearby items.
 */
final class MobiusScorer implements RandomVectorScorer {
    /** The largest inverse squared norm, relative to the largest item's: a norm ratio of 1e-6. */
    static final double MAX_INVERSE = 1e12;

    private final BruteForceIndex vectors;
    private final float[] inverse;
    private final double scale;
    private final int node;

    private MobiusScorer(BruteForceIndex vectors, float[] inverse, double scale, int node) {
        this.vectors = vectors;
        this.inverse = inverse;
        this.scale = scale;
        this.node = node;
    }

    /** Scores nodes against other nodes, as the graph builder needs. */
    static RandomVectorScorerSupplier supplier(BruteForceIndex vectors) {
        float[] rows = vectors.rows();
        int dim = vectors.dim();
        double[] squaredNorms = new double[vectors.size()];
        double largest = 0;
        for (int i = 0; i < squaredNorms.length; i++) {
            double sum = 0;
            for (int d = i * dim; d < (i + 1) * dim; d++) {
                sum += (double) rows[d] * rows[d];
            }
            squaredNorms[i] = sum;
            largest = Math.max(largest, sum);
        }
        float[] inverse = new float[squaredNorms.length];
        for (int i = 0; i < inverse.length; i++) {
            boolean tiny = squaredNorms[i] * MAX_INVERSE <= largest; // zero included, also when all are
            inverse[i] = (float) (tiny ? MAX_INVERSE : largest / squaredNorms[i]);
        }
        double scale = largest == 0 ? 0 : 1 / largest;
        return new RandomVectorScorerSupplier() {
            @Override
            public RandomVectorScorer scorer(int ord) {
                return new MobiusScorer(vectors, inverse, scale, ord);
            }

            @Override
            public RandomVectorScorerSupplier copy() {
                return this; // immutable: safe to share between threads
            }
        };
    }

    @Override
    public float score(int other) {
        double a = inverse[node];
        double b = inverse[other];
        double dot = vectors.score(vectors.rows(), node * vectors.dim(), other) * scale;
        return (float) (2 * dot * a * b - a - b);
    }

    @Override
    public int maxOrd() {
        return vectors.size();
    }
}
