package org.embedrec.models;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import org.embedrec.index.HnswIndex;
import org.embedrec.index.TopKIndex;

/**
 * Approximate maximum inner product search on an HNSW graph, made reliable by lifting every
 * item to the same norm (Bachrach et al. 2014, "Speeding up the Xbox recommender system using a
 * Euclidean transformation for inner-product spaces"): item {@code c} becomes
 * {@code [c, sqrt(M^2 - |c|^2)]} with {@code M} the largest item norm, a query {@code q} becomes
 * {@code [q, 0]}. Then {@code q' . c' = q . c}, so the scores and the ranking are unchanged, but
 * all items lie on one sphere, where the largest inner product is the smallest angle and the
 * graph's neighbourhoods are meaningful.
 *
 * <p>Why: a graph built on raw inner products links every item to the few items of largest norm
 * (they are everyone's "nearest"), and items of small norm become unreachable. On the candidate
 * embeddings of a two-tower model trained one epoch on the synthetic data (norms 0.44 to 3.6),
 * the plain graph found 0.56 of the exact top 10 over all users, and no larger efSearch helped
 * (0.58 at 1000 for 1682 items); the lifted graph found 0.999. On the test's 3000 vectors along
 * one shared direction, 0.25 against 0.94.
 */
final class EqualNormHnswIndex implements TopKIndex {
    private final HnswIndex graph;
    private final int dim;

    /** A graph over the rows of {@code vectors}, row-major {@code [n, dim]}. */
    EqualNormHnswIndex(float[] vectors, int dim) {
        int n = vectors.length / dim;
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, squaredNorm(vectors, i * dim, dim));
        }
        float[] lifted = new float[n * (dim + 1)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(vectors, i * dim, lifted, i * (dim + 1), dim);
            lifted[i * (dim + 1) + dim] = (float) Math.sqrt(Math.max(0, largest - squaredNorm(vectors, i * dim, dim)));
        }
        this.graph = HnswIndex.build(lifted, dim + 1);
        this.dim = dim;
    }

    private static double squaredNorm(float[] v, int from, int dim) {
        double s = 0;
        for (int d = from; d < from + dim; d++) {
            s += (double) v[d] * v[d];
        }
        return s;
    }

    @Override
    public int size() {
        return graph.size();
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, IntPredicate exclude) {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " values; expected " + dim);
        }
        return graph.search(Arrays.copyOf(query, dim + 1), k, exclude);
    }
}
