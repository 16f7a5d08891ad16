package org.embedrec.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.embedrec.engine.Parallel;

/**
 * Approximate top-K by inner product over a hierarchical navigable small-world graph (Malkov
 * and Yashunin, 2016), built and searched by Lucene's HNSW implementation.
 *
 * <p>Why Lucene's graph classes rather than a Lucene index of {@code KnnFloatVectorField}s:
 * the graph is built on heap over our own copy of the vectors, scored by our SIMD dot kernel
 * (Lucene 9 on Java 17 has only its scalar one, and the codec path reads vectors back from
 * index files), which builds 100,000 32-dimensional vectors about 2.5 times faster; node
 * ordinals are item ids, with no document-id mapping and no second copy of the vectors. The
 * graph, its build and its search are Lucene's, unchanged ({@code org.apache.lucene.util.hnsw},
 * whose API moved between 9.x minor releases; 9.12 is the last line that runs on Java 17).
 *
 * <p>Cost, measured at M = 16 on random vectors: a build scores about {@code 35 * beamWidth}
 * pairs per item, on one thread; a search at efSearch 150 about 3,400 items. At 100,000 x 32
 * a search is memory-latency bound and no faster than an exact scan on two cores; but a scan
 * grows with the catalogue and a graph search barely does, so the graph pays off on larger ones.
 *
 * <p>The graph is built on the items' Möbius transforms {@code y = v / |v|^2} (Zhou, Tan, Yu and
 * Li 2019, "Möbius transformation for fast inner product search on graph"): a node's neighbours
 * are the items nearest it in that space (see {@link MobiusScorer}); searches walk it by the raw
 * inner product {@code q . v}. Why not the raw inner product for the build too: a graph built on
 * it links every item to the few of largest norm (they are everyone's "nearest"), and items of
 * small norm become unreachable. Embeddings with a shared direction and unequal norms, as trained
 * ones can have, are the bad case: on 3000 such vectors (norms 0.1 to 3.1, the test's) that graph
 * finds 0.27 of the exact top 10, and no efSearch helps; the Möbius graph finds 0.94. Why not the
 * equal-norm lift of Bachrach et al. 2014 ({@code [v, sqrt(M^2 - |v|^2)]}, queries {@code [q, 0]},
 * the usual reduction to nearest-neighbour search), which also gives 0.94 there: it breaks the
 * common case, 0.58 instead of 0.995 on 30,000 random Gaussian 32-dimensional vectors, whose
 * queries, orthogonal to the added axis, are far from every lifted item; the Möbius graph gives
 * 0.994. On two-tower candidate embeddings trained one epoch (1682 items, norms 0.3 to 2.2) all
 * three find 0.985 to 1.000. (All at efSearch 150.)
 *
 * <p>A search asks the graph for {@code max(k, efSearch)} candidates by inner product (see
 * {@link InnerProductScorer}) and keeps the best K in the order of {@link BruteForceIndex}, with
 * the same scores it would report: the exact inner products with the original vectors, which the
 * index keeps (the transform adds only one float per item) for those scores and for the fallback.
 *
 * <p>Exclusion is a filter, not over-fetching: the graph search takes a {@link Bits} of accepted
 * items that asks the predicate lazily, for the nodes the search reaches, so it walks past
 * excluded items and still collects K others (over-fetching cannot know how far to fetch when
 * the predicate is opaque). The more is excluded, the further it walks: with most items
 * excluded it nears a full scan, and {@link BruteForceIndex} is the better choice. If it finds
 * fewer than K accepted items, the search falls back to the exact index.
 *
 * <p>Determinism: nodes are added in id order on one thread and levels are drawn from
 * {@link Settings#seed()}, so one seed gives one graph; a search of a fixed graph is a fixed
 * computation, so results do not depend on the thread count.
 */
public final class HnswIndex implements TopKIndex {

    /**
     * How the graph is built and searched.
     *
     * @param maxConn the neighbours kept per node (HNSW's M; the bottom level keeps 2M), in [1, 512]
     * @param beamWidth the candidates considered when a node is inserted (efConstruction), in [1, 3200]
     * @param efSearch the candidates a search collects before the best K are kept (at least K are), >= 1
     * @param seed the seed of the node levels
     */
    public record Settings(int maxConn, int beamWidth, int efSearch, long seed) {
        /**
         * M = 16, efConstruction = 50, efSearch = 150, seed 42. On 100,000 random Gaussian
         * 32-dimensional vectors (three data seeds): recall@10 0.970 to 0.976, a build of about
         * 1,800 inner products per item and a search of about 3,400. {@code efSearch} buys recall
         * at query time (0.982 to 0.989 at 200); a smaller {@code beamWidth} builds faster but
         * needs more (beamWidth 32 gives 0.955 to 0.969 at efSearch 200, for 0.65 times the build).
         * At a fixed efSearch recall falls as the catalogue grows: 0.94 at 300,000 such vectors.
         * (Measured on a graph built on raw inner products; on the test's seed the Möbius graph
         * gives 0.9705 where that gave 0.9700, in the same build time.)
         */
        public static final Settings DEFAULT = new Settings(16, 50, 150, 42);

        public Settings {
            if (maxConn < 1 || maxConn > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
                throw new IllegalArgumentException("HNSW settings: maxConn = " + maxConn + "; expected 1.."
                        + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN);
            }
            if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
                throw new IllegalArgumentException("HNSW settings: beamWidth = " + beamWidth + "; expected 1.."
                        + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH);
            }
            if (efSearch < 1) {
                throw new IllegalArgumentException("HNSW settings: efSearch = " + efSearch + "; expected >= 1");
            }
        }

        /** These settings with another {@code efSearch}: a search-time knob, the graph is unchanged. */
        public Settings withEfSearch(int ef) {
            return new Settings(maxConn, beamWidth, ef, seed);
        }
    }

    private final BruteForceIndex exact;
    private final OnHeapHnswGraph graph;
    private final Settings settings;

    private HnswIndex(BruteForceIndex exact, OnHeapHnswGraph graph, Settings settings) {
        this.exact = exact;
        this.graph = graph;
        this.settings = settings;
    }

    /** {@link #build(float[], int, Settings)} with {@link Settings#DEFAULT}. */
    public static HnswIndex build(float[] vectors, int dim) {
        return build(vectors, dim, Settings.DEFAULT);
    }

    /**
     * Builds the graph over a copy of {@code vectors}, row-major {@code [size, dim]}; item i is
     * row i. Single-threaded: the cost is about {@code size * beamWidth} inner products.
     *
     * @throws IllegalArgumentException as {@link BruteForceIndex#BruteForceIndex(float[], int)}
     */
    public static HnswIndex build(float[] vectors, int dim, Settings settings) {
        BruteForceIndex exact = new BruteForceIndex(vectors, dim);
        if (exact.size() == 0) {
            return new HnswIndex(exact, null, settings);
        }
        try {
            OnHeapHnswGraph graph = HnswGraphBuilder.create(MobiusScorer.supplier(exact),
                    settings.maxConn(), settings.beamWidth(), settings.seed()).build(exact.size());
            return new HnswIndex(exact, graph, settings);
        } catch (IOException e) {
            // Our scorers never do I/O; Lucene's interfaces declare it for index files.
            throw new UncheckedIOException("HNSW index: building the graph failed", e);
        }
    }

    /** The same graph searched with other settings ({@code efSearch}); the build settings must match. */
    public HnswIndex withSettings(Settings searchSettings) {
        if (searchSettings.maxConn() != settings.maxConn() || searchSettings.beamWidth() != settings.beamWidth()
                || searchSettings.seed() != settings.seed()) {
            throw new IllegalArgumentException("HNSW index: built with " + settings + ", cannot search as "
                    + searchSettings + "; only efSearch may change");
        }
        return new HnswIndex(exact, graph, searchSettings);
    }

    @Override
    public int size() {
        return exact.size();
    }

    @Override
    public int dim() {
        return exact.dim();
    }

    public Settings settings() {
        return settings;
    }

    /** The graph's approximate heap footprint in bytes (the vectors take {@code 4 * size * dim} more). */
    public long graphBytes() {
        return graph == null ? 0 : graph.ramBytesUsed();
    }

    @Override
    public List<ScoredItem> search(float[] query, int k, IntPredicate exclude) {
        IndexArguments.checkQuery(query, dim());
        IndexArguments.checkK(k);
        int capacity = Math.min(k, size());
        if (capacity == 0) {
            return List.of();
        }
        int candidates = Math.max(capacity, settings.efSearch());
        if (candidates >= size()) {
            return exact.search(query, k, exclude); // the graph search would visit everything anyway
        }
        ScoreDoc[] hits = graphSearch(query, candidates, exclude);
        if (hits.length < capacity) {
            return exact.search(query, k, exclude);
        }
        TopKSelector best = new TopKSelector(capacity);
        for (ScoreDoc hit : hits) {
            best.offer(hit.doc, hit.score);
        }
        return best.drainSorted();
    }

    private ScoreDoc[] graphSearch(float[] query, int candidates, IntPredicate exclude) {
        Bits accepted = exclude == null ? null : new Bits() {
            @Override
            public boolean get(int item) {
                return !exclude.test(item);
            }

            @Override
            public int length() {
                return size();
            }
        };
        try {
            KnnCollector collector = HnswGraphSearcher.search(InnerProductScorer.forQuery(exact, query),
                    candidates, graph, accepted, Integer.MAX_VALUE);
            return collector.topDocs().scoreDocs;
        } catch (IOException e) {
            throw new UncheckedIOException("HNSW index: searching the graph failed", e);
        }
    }

    /** {@inheritDoc} Queries are searched in parallel, one graph search each. */
    @Override
    public List<List<ScoredItem>> search(float[] queries, int n, int k, IntFunction<IntPredicate> exclude) {
        IndexArguments.checkQueries(queries, n, dim());
        IndexArguments.checkK(k);
        int d = dim();
        IntPredicate[] excludes = new IntPredicate[n];
        for (int q = 0; q < n && exclude != null; q++) {
            excludes[q] = exclude.apply(q);
        }
        // Each task sets its own elements; forRange returning publishes them to this thread.
        List<List<ScoredItem>> results = new ArrayList<>(Collections.nCopies(n, null));
        Parallel.forRange(n, 1, (from, to) -> {
            float[] query = new float[d];
            for (int q = from; q < to; q++) {
                System.arraycopy(queries, q * d, query, 0, d);
                results.set(q, search(query, k, excludes[q]));
            }
        });
        return results;
    }
}
