package org.embedrec.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The K items whose vectors have the largest inner product with a query.
 *
 * <p>Results are ordered best first: larger score, then smaller id on equal scores, so they are
 * deterministic. An {@code exclude} predicate may be called from several threads at once and
 * must not change while a search runs (a read-only set lookup is the usual case).
 */
public interface TopKIndex {

    /** The number of indexed vectors; their ids are {@code 0..size()-1}. */
    int size();

    int dim();

    /**
     * At most {@code k} items, best first; items for which {@code exclude} (may be null) is
     * true are never returned.
     */
    List<ScoredItem> search(float[] query, int k, IntPredicate exclude);

    /**
     * {@link #search(float[], int, IntPredicate)} into buffers instead of a list: the items,
     * best first, in {@code ids[0..n)} and their scores in {@code scores[0..n)}; returns n. The
     * buffers must hold {@code min(k, size())}. An index that can answers without allocating.
     */
    default int search(float[] query, int k, IntPredicate exclude, int[] ids, float[] scores) {
        List<ScoredItem> found = search(query, k, exclude);
        for (int i = 0; i < found.size(); i++) {
            ids[i] = found.get(i).id();
            scores[i] = found.get(i).score();
        }
        return found.size();
    }

    /**
     * The results of {@code n} queries at once, row-major {@code [n, dim]} in {@code queries}:
     * element i is what {@link #search(float[], int, IntPredicate)} returns for row i with
     * {@code exclude.apply(i)} (either may be null), except that an index may compute the
     * batch's scores in another summation order (so they may differ in the last bits).
     * {@code exclude} itself is called on the calling thread, once per query.
     */
    default List<List<ScoredItem>> search(float[] queries, int n, int k, IntFunction<IntPredicate> exclude) {
        IndexArguments.checkQueries(queries, n, dim());
        IndexArguments.checkK(k);
        int d = dim();
        List<List<ScoredItem>> results = new ArrayList<>(n);
        for (int q = 0; q < n; q++) {
            float[] query = Arrays.copyOfRange(queries, q * d, (q + 1) * d);
            results.add(search(query, k, exclude == null ? null : exclude.apply(q)));
        }
        return results;
    }

    /** An indexed item and its inner product with the query. */
    record ScoredItem(int id, float score) {}
}
