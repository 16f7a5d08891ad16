package org.embedrec.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.embedrec.engine.Parallel;

/**
 * Approximate top-K by inner product over a hierarchical navigable small-world graph (Malkov
 * and Yashunin, 2016).
 *
 * <p>Graph and search are our own ({@link HnswGraphBuilder}, {@link BeamSearch}, {@link HnswGraph}),
 * no longer Lucene's: a search reads neighbour lists from flat int arrays, marks visited nodes in
 * a per-thread array stamped with a generation number and keeps its candidates in primitive
 * heaps, so it allocates nothing but its answer; the build runs on every core and still gives
 * one graph per seed; and the finished graph is a handful of int arrays that the model artifact
 * saves, so loading a model does not build it again.
 *
 * <p>The graph is built on the items' Möbius transforms {@code y = v / |v|^2} (Zhou, Tan, Yu and
 * Li 2019, "Möbius transformation for fast inner product search on graph"): a node's neighbours
 * are the items nearest it in that space (see {@link HnswGraphBuilder}); searches walk it by the raw
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
 * <p>A search asks the graph for {@code max(k, efSearch)} candidates by inner product (the raw
 * product: a search only compares similarities) and keeps the best K in the order of {@link BruteForceIndex}, with
 * the same scores it would report: the exact inner products with the original vectors, which the
 * index keeps (the transform adds only one float per item) for those scores and for the fallback.
 *
 * <p>The walk itself is made cheap for memory, which is what it waits on (on 1,000,000 items of
 * 32 floats, 60% of a served request was the inner products' wait for each item's two cache
 * lines): it compares items by their byte codes ({@link QuantizedVectors}, a quarter of the
 * floats' bytes), and it walks a copy of the graph renumbered in breadth-first order from the
 * entry point ({@link HnswGraph#breadthFirstOrder()}), codes stored in that order, so that the
 * neighbours it scores one after another sit near each other. The candidates it collects are
 * then re-ranked by their exact float inner products: the codes only decide which candidates are
 * collected, never the scores or the order of the answer. The saved graph stays the builder's,
 * in item ids ({@link #graph()} renumbers it back); the order and the codes are derived from it
 * and the vectors when an index is built or loaded.
 *
 * <p>Exclusion is a filter, not over-fetching: the search walks through excluded items without
 * collecting them, so it still collects K others (over-fetching cannot know how far to fetch when
 * the predicate is opaque). The more is excluded, the further it walks: with most items excluded
 * it nears a full scan, and {@link BruteForceIndex} is the better choice. If it finds fewer than K
 * accepted items, the search falls back to the exact index.
 *
 * <p>Determinism: the build gives one graph per seed on any thread count (see
 * {@link HnswGraphBuilder}); a search of a fixed graph is a fixed computation, so results do not
 * depend on the thread count.
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
        static final int MAX_CONN = 512;
        static final int MAX_BEAM_WIDTH = 3200;

        /**
         * M = 16, efConstruction = 50, efSearch = 150, seed 42. On 100,000 random Gaussian
         * 32-dimensional vectors (three data seeds): recall@10 0.970 to 0.976, a build of about
         * 1,800 inner products per item and a search of about 3,400. {@code efSearch} buys recall
         * at query time (0.982 to 0.989 at 200); a smaller {@code beamWidth} builds faster but
         * needs more (beamWidth 32 gives 0.955 to 0.969 at efSearch 200, for 0.65 times the build).
         * At a fixed efSearch recall falls as the catalogue grows: 0.94 at 300,000 such vectors.
         * (Measured with float inner products on a graph built on raw ones, Lucene's at the time;
         * on the test's seed our Möbius graph gives 0.9705 where that gave 0.9700, in the same
         * build time, and the int8 walk with its exact re-rank 0.9700.)
         */
        public static final Settings DEFAULT = new Settings(16, 50, 150, 42);

        public Settings {
            if (maxConn < 1 || maxConn > MAX_CONN) {
                throw new IllegalArgumentException("HNSW settings: maxConn = " + maxConn + "; expected 1.."
                        + MAX_CONN);
            }
            if (beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH) {
                throw new IllegalArgumentException("HNSW settings: beamWidth = " + beamWidth + "; expected 1.."
                        + MAX_BEAM_WIDTH);
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
    /** What a search walks: null for an empty catalogue. */
    private final Walk walk;
    private final Settings settings;
    /** Each thread's search memory: a visited array of the graph's size and the heaps. */
    private final ThreadLocal<Scratch> scratch;

    private HnswIndex(BruteForceIndex exact, Walk walk, Settings settings) {
        this.exact = exact;
        this.walk = walk;
        this.settings = settings;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(exact, walk));
    }

    private HnswIndex(BruteForceIndex exact, HnswGraph graph, Settings settings) {
        this(exact, graph == null ? null : Walk.of(exact, graph), settings);
    }

    /** {@link #build(float[], int, Settings)} with {@link Settings#DEFAULT}. */
    public static HnswIndex build(float[] vectors, int dim) {
        return build(vectors, dim, Settings.DEFAULT);
    }

    /**
     * Builds the graph over a copy of {@code vectors}, row-major {@code [size, dim]}; item i is
     * row i. On every core of {@link Parallel}; the same graph on any number.
     *
     * @throws IllegalArgumentException as {@link BruteForceIndex#BruteForceIndex(float[], int)}
     */
    public static HnswIndex build(float[] vectors, int dim, Settings settings) {
        BruteForceIndex exact = new BruteForceIndex(vectors, dim);
        if (exact.size() == 0) {
            return new HnswIndex(exact, (Walk) null, settings);
        }
        return new HnswIndex(exact, HnswGraphBuilder.build(exact.rows(), dim, settings), settings);
    }

    /**
     * An index searching {@code graph}, which {@link #build} made over these {@code vectors}
     * with these settings (a saved graph read back; the caller checks that it belongs to them,
     * e.g. by a checksum of the vectors saved beside it).
     *
     * @throws IllegalArgumentException if the graph's size is not the number of vectors
     */
    public static HnswIndex of(float[] vectors, int dim, Settings settings, HnswGraph graph) {
        BruteForceIndex exact = new BruteForceIndex(vectors, dim);
        int graphSize = graph == null ? 0 : graph.size();
        if (graphSize != exact.size()) {
            throw new IllegalArgumentException("HNSW index: a graph of " + graphSize + " nodes over " + exact.size()
                    + " vectors; expected one node per vector");
        }
        return new HnswIndex(exact, graph, settings);
    }

    /** The same graph searched with other settings ({@code efSearch}); the build settings must match. */
    public HnswIndex withSettings(Settings searchSettings) {
        if (searchSettings.maxConn() != settings.maxConn() || searchSettings.beamWidth() != settings.beamWidth()
                || searchSettings.seed() != settings.seed()) {
            throw new IllegalArgumentException("HNSW index: built with " + settings + ", cannot search as "
                    + searchSettings + "; only efSearch may change");
        }
        return new HnswIndex(exact, walk, searchSettings);
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

    /**
     * The graph in item ids, as {@link HnswGraphBuilder} built it and the model artifact saves it
     * (null for an empty catalogue): renumbered back from the search's order on each call.
     */
    public HnswGraph graph() {
        return walk == null ? null : walk.graph.renumbered(walk.nodeOfItem());
    }

    /**
     * The heap the search's graph, byte codes and node order take, in bytes (the float vectors
     * take {@code 4 * size * dim} more).
     */
    public long graphBytes() {
        return walk == null ? 0 : walk.graph.bytes() + walk.codes.bytes() + 4L * walk.itemOfNode.length;
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
        Scratch s = scratch.get();
        try {
            NodeHeap best = graphSearch(s, query, candidates, capacity, exclude);
            if (best == null) {
                return exact.search(query, k, exclude);
            }
            ScoredItem[] answer = new ScoredItem[capacity];
            for (int i = capacity - 1; i >= 0; i--) { // worst on top: fill from the back, best first
                answer[i] = new ScoredItem(best.topNode(), best.topScore());
                best.pop();
            }
            return Arrays.asList(answer);
        } finally {
            s.exclude.items = null;
        }
    }

    /** {@inheritDoc} Allocates nothing when the graph search finds enough items. */
    @Override
    public int search(float[] query, int k, IntPredicate exclude, int[] ids, float[] scores) {
        IndexArguments.checkQuery(query, dim());
        IndexArguments.checkK(k);
        int capacity = Math.min(k, size());
        int candidates = Math.max(capacity, settings.efSearch());
        if (capacity == 0 || candidates >= size()) {
            return exact.search(query, k, exclude, ids, scores);
        }
        Scratch s = scratch.get();
        try {
            NodeHeap best = graphSearch(s, query, candidates, capacity, exclude);
            if (best == null) {
                return exact.search(query, k, exclude, ids, scores);
            }
            for (int i = capacity - 1; i >= 0; i--) { // worst on top: fill from the back, best first
                ids[i] = best.topNode();
                scores[i] = best.topScore();
                best.pop();
            }
            return capacity;
        } finally {
            s.exclude.items = null;
        }
    }

    /**
     * The walk for {@code ef} nodes by the byte codes' scores (down the upper levels greedily,
     * then the best-first search of level 0), then the exact re-rank: the best {@code capacity}
     * of them by the float inner product (the bits {@link BruteForceIndex} reports), worst on
     * top, as item ids; null if the walk found fewer than {@code capacity} items that
     * {@code exclude} accepts.
     */
    private NodeHeap graphSearch(Scratch s, float[] query, int ef, int capacity, IntPredicate exclude) {
        s.scorer.prepare(query);
        s.exclude.items = exclude;
        HnswGraph graph = walk.graph;
        int entry = graph.entryPoint();
        float entryScore = s.scorer.score(entry);
        for (int level = graph.levels() - 1; level > 0; level--) {
            s.search.greedy(graph, level, entry, entryScore, s.scorer);
            entry = s.search.greedyNode();
            entryScore = s.search.greedyScore();
        }
        NodeHeap found = s.search.search(graph, 0, entry, entryScore, ef, s.scorer, exclude == null ? null : s.exclude);
        if (found.size() < capacity) {
            return null;
        }
        NodeHeap best = s.reranked;
        best.clear();
        for (; found.size() > 0; found.pop()) {
            int item = walk.itemOfNode[found.topNode()];
            best.push(item, exact.score(query, 0, item));
            if (best.size() > capacity) {
                best.pop(); // lowest score, then largest id: BruteForceIndex's order
            }
        }
        return best;
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

    /**
     * The graph as a search walks it: renumbered in {@link HnswGraph#breadthFirstOrder()} so that
     * the neighbours a search scores one after another sit near each other in memory, with the
     * items' byte codes in the same order ({@link QuantizedVectors}).
     */
    private record Walk(HnswGraph graph, int[] itemOfNode, QuantizedVectors codes) {
        static Walk of(BruteForceIndex exact, HnswGraph itemGraph) {
            int[] itemOfNode = itemGraph.breadthFirstOrder();
            return new Walk(itemGraph.renumbered(itemOfNode), itemOfNode,
                    QuantizedVectors.of(exact.rows(), exact.dim(), itemOfNode));
        }

        /** The inverse of {@link #itemOfNode}: renumbering the walk's graph by it gives the graph in item ids. */
        int[] nodeOfItem() {
            int[] nodeOfItem = new int[itemOfNode.length];
            for (int node = 0; node < itemOfNode.length; node++) {
                nodeOfItem[itemOfNode[node]] = node;
            }
            return nodeOfItem;
        }
    }

    /** A thread's search memory, reused by its every search of this index. */
    private static final class Scratch {
        final BeamSearch search;
        final CodeScorer scorer;
        final NodeExclusion exclude;
        final NodeHeap reranked = NodeHeap.lowestFirst();

        Scratch(BruteForceIndex exact, Walk walk) {
            this.search = new BeamSearch(exact.size());
            this.scorer = walk == null ? null : new CodeScorer(walk.codes, exact.dim());
            this.exclude = walk == null ? null : new NodeExclusion(walk.itemOfNode);
        }
    }

    /** The walk's similarity of a node to the query: the inner product with its byte codes. */
    private static final class CodeScorer implements NodeScorer {
        private final QuantizedVectors codes;
        private final float[] scaled;
        private float bias;
        /** What {@link QuantizedVectors#touch} read, kept so that the reads are not optimised away. */
        @SuppressWarnings("unused")
        private int touched;

        CodeScorer(QuantizedVectors codes, int dim) {
            this.codes = codes;
            this.scaled = new float[dim];
        }

        void prepare(float[] query) {
            bias = codes.prepare(query, scaled);
        }

        @Override
        public float score(int node) {
            return codes.score(scaled, bias, node);
        }

        @Override
        public void scoreAll(int[] nodes, int count, float[] out) {
            touched += codes.touch(nodes, count);
            for (int j = 0; j < count; j++) {
                out[j] = codes.score(scaled, bias, nodes[j]);
            }
        }
    }

    /** The caller's exclusion of items, asked about the walk's nodes: one per thread, so a search allocates none. */
    private static final class NodeExclusion implements IntPredicate {
        private final int[] itemOfNode;
        IntPredicate items;

        NodeExclusion(int[] itemOfNode) {
            this.itemOfNode = itemOfNode;
        }

        @Override
        public boolean test(int node) {
            return items.test(itemOfNode[node]);
        }
    }
}
