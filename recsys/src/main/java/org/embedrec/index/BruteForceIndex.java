package org.embedrec.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Tensor;
import org.embedrec.engine.kernels.Kernels;

/**
 * Exact top-K by inner product: every item is scored, {@code score(q, i) = sum_d q[d] * v[i, d]},
 * and a bounded heap keeps the best K.
 *
 * <p>One query is scored with the SIMD {@code dot} kernel over contiguous item ranges, one range
 * per task; each task selects its own top K and the task results are merged. A batch of queries
 * is scored as {@code Q * V^T} with {@code sgemm}, tile by tile over a fixed grid of
 * {@value #QUERY_BLOCK} queries by {@value #ITEM_BLOCK} items, so that a tile of item vectors is
 * read once for many queries. Either way the result does not depend on the thread count: each
 * score is computed by the same kernel call whatever the split, and the selection order is total
 * (see {@link TopKSelector}). The exclusion predicate is only asked about items that would enter
 * the current top K, not about every item.
 */
public final class BruteForceIndex implements TopKIndex {
    /** Queries per sgemm tile in a batch search. */
    static final int QUERY_BLOCK = 64;
    /** Items per sgemm tile in a batch search; a tile of scores is 64 x 512 floats (128 KiB). */
    static final int ITEM_BLOCK = 512;
    /** Multiply-adds per parallel task below which forking costs more than it saves. */
    private static final int TASK_WORK = 1 << 18;
    private static final ThreadLocal<TopKSelector> SELECTOR = ThreadLocal.withInitial(() -> new TopKSelector(16));
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[QUERY_BLOCK * ITEM_BLOCK]);

    private final float[] vectors;
    private final int size;
    private final int dim;
    private final Kernels kernels = Kernels.get();

    /**
     * An index over a copy of {@code vectors}, row-major {@code [size, dim]}; item i is row i.
     *
     * @throws IllegalArgumentException if {@code dim < 1}, the length is not a multiple of
     *     {@code dim}, or a value is not finite (the message names its row and column)
     */
    public BruteForceIndex(float[] vectors, int dim) {
        this.size = IndexArguments.checkVectors(vectors, dim);
        this.dim = dim;
        this.vectors = vectors.clone();
    }

    /** An index over the rows of a {@code [size, dim]} tensor (copied). */
    public static BruteForceIndex of(Tensor embeddings) {
        if (embeddings.rank() != 2) {
            throw new IllegalArgumentException("embeddings: shape " + Arrays.toString(embeddings.shape())
                    + "; expected rank 2, [size, dim]");
        }
        return new BruteForceIndex(embeddings.data(), embeddings.dim(1));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int dim() {
        return dim;
    }

    /**
     * The inner product of item {@code id} with the {@code dim} values of {@code query} from
     * {@code offset}: the same kernel call as a single-query {@link #search}, so the same bits.
     */
    float score(float[] query, int offset, int id) {
        return kernels.dot(query, offset, vectors, id * dim, dim);
    }

    /** The indexed vectors themselves, row-major; callers must not modify them. */
    float[] rows() {
        return vectors;
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, IntPredicate exclude) {
        IndexArguments.checkQuery(query, dim);
        IndexArguments.checkK(k);
        int capacity = Math.min(k, size);
        if (capacity == 0) {
            return List.of();
        }
        TopKSelector best = new TopKSelector(capacity);
        Parallel.forRange(size, grain(), (from, to) -> {
            if (from == 0 && to == size) {
                scan(query, from, to, exclude, best); // one task: no merge
                return;
            }
            TopKSelector part = new TopKSelector(Math.min(capacity, to - from));
            scan(query, from, to, exclude, part);
            synchronized (best) {
                best.offerAll(part);
            }
        });
        return best.drainSorted();
    }

    /**
     * {@inheritDoc} A catalogue scanned as one task (below about {@code 2^18 / dim} items) is
     * selected in a per-thread selector, so the search allocates nothing; a larger one is
     * searched as {@link #search(float[], int, IntPredicate)} and copied.
     */
    @Override
    public int search(float[] query, int k, IntPredicate exclude, int[] ids, float[] scores) {
        if (size > grain()) {
            return TopKIndex.super.search(query, k, exclude, ids, scores);
        }
        IndexArguments.checkQuery(query, dim);
        IndexArguments.checkK(k);
        int capacity = Math.min(k, size);
        TopKSelector best = SELECTOR.get();
        best.reset(capacity);
        if (capacity > 0) {
            scan(query, 0, size, exclude, best);
        }
        return best.drainSortedInto(ids, scores);
    }

    private void scan(float[] query, int from, int to, IntPredicate exclude, TopKSelector into) {
        float[] v = vectors;
        int d = dim;
        float threshold = into.threshold();
        for (int i = from; i < to; i++) {
            float s = kernels.dot(query, 0, v, i * d, d);
            if (s < threshold) {
                continue; // the common case once the heap is full: one comparison
            }
            if (into.wouldKeep(i, s) && (exclude == null || !exclude.test(i))) {
                into.offer(i, s);
                threshold = into.threshold();
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here the scores come from {@code sgemm} tiles rather than one {@code dot} per item, so
     * they may differ from the single-query scores in the last bits (a different summation
     * order); they do not depend on the thread count.
     */
    @Override
    public List<List<ScoredItem>> search(float[] queries, int n, int k, IntFunction<IntPredicate> exclude) {
        IndexArguments.checkQueries(queries, n, dim);
        IndexArguments.checkK(k);
        int capacity = Math.min(k, size);
        List<List<ScoredItem>> results = new ArrayList<>(n);
        if (capacity == 0) {
            for (int q = 0; q < n; q++) {
                results.add(List.of());
            }
            return results;
        }
        int itemBlocks = (size + ITEM_BLOCK - 1) / ITEM_BLOCK;
        int blockGrain = Math.max(1, grain() / ITEM_BLOCK);
        for (int q0 = 0; q0 < n; q0 += QUERY_BLOCK) {
            int qn = Math.min(QUERY_BLOCK, n - q0);
            IntPredicate[] excludes = new IntPredicate[qn];
            TopKSelector[] best = new TopKSelector[qn];
            for (int q = 0; q < qn; q++) {
                excludes[q] = exclude == null ? null : exclude.apply(q0 + q);
                best[q] = new TopKSelector(capacity);
            }
            int first = q0;
            // Tasks take whole item blocks, so every sgemm call has the same shape on any thread count.
            Parallel.forRange(itemBlocks, blockGrain, (fromBlock, toBlock) -> {
                boolean alone = fromBlock == 0 && toBlock == itemBlocks;
                TopKSelector[] part = alone ? best : new TopKSelector[qn];
                if (!alone) {
                    int items = Math.min(size, toBlock * ITEM_BLOCK) - fromBlock * ITEM_BLOCK;
                    for (int q = 0; q < qn; q++) {
                        part[q] = new TopKSelector(Math.min(capacity, items));
                    }
                }
                scanTiles(queries, first, qn, fromBlock, toBlock, excludes, part);
                if (!alone) {
                    synchronized (best) {
                        for (int q = 0; q < qn; q++) {
                            best[q].offerAll(part[q]);
                        }
                    }
                }
            });
            for (int q = 0; q < qn; q++) {
                results.add(best[q].drainSorted());
            }
        }
        return results;
    }

    /** Scores queries {@code [q0, q0 + qn)} against item blocks {@code [fromBlock, toBlock)}. */
    private void scanTiles(float[] queries, int q0, int qn, int fromBlock, int toBlock,
                           IntPredicate[] excludes, TopKSelector[] into) {
        float[] tile = TILE.get();
        for (int b = fromBlock; b < toBlock; b++) {
            int i0 = b * ITEM_BLOCK;
            int items = Math.min(ITEM_BLOCK, size - i0);
            // tile[q, j] = queries[q0 + q, :] . vectors[i0 + j, :]
            kernels.sgemm(false, true, qn, items, dim, queries, q0 * dim, vectors, i0 * dim, tile, 0, false);
            for (int q = 0; q < qn; q++) {
                TopKSelector sel = into[q];
                IntPredicate ex = excludes[q];
                int row = q * items;
                float threshold = sel.threshold();
                for (int j = 0; j < items; j++) {
                    float s = tile[row + j];
                    if (s < threshold) {
                        continue;
                    }
                    int id = i0 + j;
                    if (sel.wouldKeep(id, s) && (ex == null || !ex.test(id))) {
                        sel.offer(id, s);
                        threshold = sel.threshold();
                    }
                }
            }
        }
    }

    /** Items per parallel task: enough multiply-adds to pay for handing the task out. */
    private int grain() {
        return Math.max(1, TASK_WORK / dim);
    }
}
