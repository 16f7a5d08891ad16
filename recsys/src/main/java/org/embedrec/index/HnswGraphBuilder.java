package org.embedrec.index;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.kernels.Kernels;

/**
 * Builds an {@link HnswGraph} (Malkov and Yashunin 2016) on the Möbius transforms of the items,
 * {@code y = v |v_max| / |v|^2} (Zhou et al. 2019; see {@link HnswIndex} for why), with
 * similarity {@code -|y_i - y_j|^2}, in parallel and deterministically: one seed and one set of
 * vectors give one graph, bit for bit, on any number of threads.
 *
 * <p>How parallel insertion stays deterministic: nodes are inserted in a seeded shuffled order
 * (so that items stored next to each other, often alike, are not inserted together) in batches.
 * Within a batch, every node's neighbours are searched and chosen in parallel against the graph
 * as it was when the batch began (a pure function of that graph); then, on one thread and in
 * insertion order, each node gets its lists and is appended to its neighbours' lists; finally
 * every list that overflowed is pruned, in parallel, each from its own old entries and arrivals
 * alone. The thread count decides only who does which piece. The price: nodes of one batch do not
 * see each other. A batch is at most 1/{@value #BATCH_DIVISOR} of the graph built so far (at most
 * {@value #MAX_BATCH} nodes), so a node misses at most that share of possible neighbours.
 *
 * <p>Neighbours are chosen by the paper's heuristic (algorithm 4, as hnswlib and Lucene do): a
 * candidate is kept only if it is nearer the node than any neighbour already kept, which spreads
 * a node's links across directions and keeps clusters connected to each other.
 */
final class HnswGraphBuilder implements GraphLayers {
    static final int BATCH_DIVISOR = 64;
    static final int MAX_BATCH = 2048;
    /** Levels above this are not drawn (the chance of one is {@code M^-16}). */
    static final int MAX_LEVEL = 16;
    /** Where a transformed item's norm is capped: items of norm below a millionth of the largest. */
    static final double MAX_TRANSFORMED_NORM = 1e6;

    private final int size;
    private final int dim;
    private final int maxConn;
    private final int maxConn0;
    private final int beamWidth;
    private final float[] transformed;
    private final float[] squaredNorms;
    private final int[] level;
    private final int[] order;
    private final int[] lists0;
    private final int[] count0;
    /** For level l >= 1: a node's slot on it (-1 when not on it), the lists of its nodes and their lengths. */
    private final int[][] slot;
    private final int[][] lists;
    private final int[][] counts;
    private final Kernels kernels = Kernels.get();
    private final ThreadLocal<BeamSearch> searches;
    private int entry;
    private int topLevel;

    private HnswGraphBuilder(float[] vectors, int dim, HnswIndex.Settings settings) {
        this.size = vectors.length / dim;
        this.dim = dim;
        this.maxConn = settings.maxConn();
        this.maxConn0 = 2 * settings.maxConn();
        this.beamWidth = settings.beamWidth();
        if ((long) size * maxConn0 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("HNSW index: " + size + " items with M " + maxConn + " need more than 2^31 "
                    + "links on level 0; use a smaller M or shard the catalogue");
        }
        this.transformed = new float[vectors.length];
        this.squaredNorms = new float[size];
        transform(vectors);
        SplittableRandom random = new SplittableRandom(settings.seed());
        this.level = drawLevels(random, size, maxConn);
        this.order = shuffled(random, size);
        this.lists0 = new int[size * maxConn0];
        this.count0 = new int[size];
        int top = 0;
        for (int l : level) {
            top = Math.max(top, l);
        }
        this.slot = new int[top + 1][];
        this.lists = new int[top + 1][];
        this.counts = new int[top + 1][];
        for (int l = 1; l <= top; l++) {
            int[] slots = new int[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                slots[i] = level[i] >= l ? n++ : -1;
            }
            slot[l] = slots;
            lists[l] = new int[n * maxConn];
            counts[l] = new int[n];
        }
        this.searches = ThreadLocal.withInitial(() -> new BeamSearch(size));
    }

    /** The graph over {@code vectors}, row-major {@code [size, dim]}, size >= 1. */
    static HnswGraph build(float[] vectors, int dim, HnswIndex.Settings settings) {
        HnswGraphBuilder builder = new HnswGraphBuilder(vectors, dim, settings);
        builder.insertAll();
        return builder.finish();
    }

    private void transform(float[] vectors) {
        double largest = 0;
        double[] squares = new double[size];
        for (int i = 0; i < size; i++) {
            double sum = 0;
            for (int d = i * dim; d < (i + 1) * dim; d++) {
                sum += (double) vectors[d] * vectors[d];
            }
            squares[i] = sum;
            largest = Math.max(largest, sum);
        }
        double maxNorm = Math.sqrt(largest);
        for (int i = 0; i < size; i++) {
            int row = i * dim;
            double norm = Math.sqrt(squares[i]);
            if (squares[i] == 0) {
                transformed[row] = (float) MAX_TRANSFORMED_NORM; // no direction: as far out as the smallest items
            } else {
                // |y| = |v_max| / |v| >= 1, capped where |v| is a millionth of |v_max| or less
                double factor = Math.min(maxNorm / squares[i], MAX_TRANSFORMED_NORM / norm);
                for (int d = 0; d < dim; d++) {
                    transformed[row + d] = (float) (vectors[row + d] * factor);
                }
            }
            squaredNorms[i] = kernels.dot(transformed, row, transformed, row, dim);
        }
    }

    /** Each node's top level, {@code floor(-ln(U) / ln(M))} (the paper's m_L = 1 / ln M), in node order. */
    private static int[] drawLevels(SplittableRandom random, int size, int maxConn) {
        double mL = 1 / Math.log(Math.max(2, maxConn));
        int[] level = new int[size];
        for (int i = 0; i < size; i++) {
            level[i] = (int) Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - random.nextDouble()) * mL));
        }
        return level;
    }

    private static int[] shuffled(SplittableRandom random, int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The Möbius similarity {@code -|y_a - y_b|^2}, from the dot product of the transformed rows. */
    private float similarity(int a, int b) {
        float dot = kernels.dot(transformed, a * dim, transformed, b * dim, dim);
        return (float) (2.0 * dot - squaredNorms[a] - squaredNorms[b]);
    }

    private void insertAll() {
        entry = order[0];
        topLevel = level[entry];
        int done = 1;
        while (done < size) {
            int batch = Math.min(size - done, Math.max(1, Math.min(MAX_BATCH, done / BATCH_DIVISOR)));
            int first = done;
            int batchEntry = entry;
            int batchTop = topLevel;
            int[][][] chosen = new int[batch][][];
            Parallel.forRange(batch, 16, (from, to) -> {
                BeamSearch search = searches.get();
                for (int i = from; i < to; i++) {
                    chosen[i] = chooseNeighbours(order[first + i], batchEntry, batchTop, search);
                }
            });
            Overflow overflow = new Overflow();
            for (int i = 0; i < batch; i++) {
                link(order[first + i], chosen[i], overflow);
            }
            pruneOverflowed(overflow);
            done += batch;
        }
    }

    /** Node x's neighbours on each of its levels (algorithm 1's search and selection), from the graph as it is. */
    private int[][] chooseNeighbours(int x, int start, int top, BeamSearch search) {
        NodeScorer scorer = node -> similarity(x, node);
        int[][] chosen = new int[level[x] + 1][];
        Arrays.fill(chosen, new int[0]);
        int ep = start;
        float epScore = scorer.score(ep);
        for (int l = top; l > level[x]; l--) {
            search.greedy(this, l, ep, epScore, scorer);
            ep = search.greedyNode();
            epScore = search.greedyScore();
        }
        for (int l = Math.min(level[x], top); l >= 0; l--) {
            NodeHeap found = search.search(this, l, ep, epScore, beamWidth, scorer, null);
            int n = found.size();
            int[] ids = new int[n];
            float[] scores = new float[n];
            for (int i = n - 1; i >= 0; i--) { // worst on top: fill from the back, best first
                ids[i] = found.topNode();
                scores[i] = found.topScore();
                found.pop();
            }
            chosen[l] = diverse(ids, scores, n, l == 0 ? maxConn0 : maxConn);
            ep = ids[0];
            epScore = scores[0];
        }
        return chosen;
    }

    /**
     * The paper's heuristic over candidates sorted best first: keep a candidate only if it is
     * nearer the node (its score) than any neighbour already kept, up to {@code max}.
     */
    private int[] diverse(int[] ids, float[] scores, int n, int max) {
        int[] kept = new int[Math.min(n, max)];
        int count = 0;
        for (int i = 0; i < n && count < max; i++) {
            boolean nearest = true;
            for (int j = 0; j < count && nearest; j++) {
                nearest = similarity(ids[i], kept[j]) <= scores[i];
            }
            if (nearest) {
                kept[count++] = ids[i];
            }
        }
        return count == kept.length ? kept : Arrays.copyOf(kept, count);
    }

    /** Gives x its lists and appends it to its neighbours', recording the lists that are full. */
    private void link(int x, int[][] chosen, Overflow overflow) {
        for (int l = 0; l < chosen.length; l++) {
            int[] array = array(l);
            int start = start(l, x);
            System.arraycopy(chosen[l], 0, array, start, chosen[l].length);
            setCount(l, x, chosen[l].length);
            int capacity = l == 0 ? maxConn0 : maxConn;
            for (int neighbour : chosen[l]) {
                int c = count(l, neighbour);
                if (c < capacity) {
                    array[start(l, neighbour) + c] = x;
                    setCount(l, neighbour, c + 1);
                } else {
                    overflow.add(l, neighbour, x);
                }
            }
        }
        if (level[x] > topLevel) {
            entry = x;
            topLevel = level[x];
        }
    }

    /** Each full list with its arrivals, pruned back to capacity by the heuristic; in parallel, one list per task. */
    private void pruneOverflowed(Overflow overflow) {
        if (overflow.size == 0) {
            return;
        }
        long[] keys = overflow.sortedKeys();
        int[] groupStarts = new int[keys.length + 1];
        int groups = 0;
        for (int i = 0; i < keys.length; i++) {
            if (i == 0 || Overflow.listOf(keys[i]) != Overflow.listOf(keys[i - 1])) {
                groupStarts[groups++] = i;
            }
        }
        groupStarts[groups] = keys.length;
        int total = groups;
        Parallel.forRange(total, 8, (from, to) -> {
            for (int g = from; g < to; g++) {
                prune(keys, groupStarts[g], groupStarts[g + 1], overflow);
            }
        });
    }

    private void prune(long[] keys, int from, int to, Overflow overflow) {
        long list = Overflow.listOf(keys[from]);
        int l = (int) (list >>> 32);
        int node = (int) list;
        int[] array = array(l);
        int start = start(l, node);
        int old = count(l, node);
        int n = old + to - from;
        int[] ids = new int[n];
        float[] scores = new float[n];
        Integer[] byScore = new Integer[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i < old ? array[start + i] : overflow.source[Overflow.sequence(keys[from + i - old])];
            scores[i] = similarity(node, ids[i]);
            byScore[i] = i;
        }
        Arrays.sort(byScore, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a])
                : Integer.compare(ids[a], ids[b]));
        int[] sortedIds = new int[n];
        float[] sortedScores = new float[n];
        for (int i = 0; i < n; i++) {
            sortedIds[i] = ids[byScore[i]];
            sortedScores[i] = scores[byScore[i]];
        }
        int[] kept = diverse(sortedIds, sortedScores, n, l == 0 ? maxConn0 : maxConn);
        System.arraycopy(kept, 0, array, start, kept.length);
        setCount(l, node, kept.length);
    }

    /** Arrivals at full lists within one batch: (level, node, arriving node), in arrival order. */
    private static final class Overflow {
        int[] level = new int[256];
        int[] node = new int[256];
        int[] source = new int[256];
        int size;

        void add(int l, int n, int from) {
            if (size == level.length) {
                level = Arrays.copyOf(level, size * 2);
                node = Arrays.copyOf(node, size * 2);
                source = Arrays.copyOf(source, size * 2);
            }
            level[size] = l;
            node[size] = n;
            source[size] = from;
            size++;
        }

        /** Keys (level, node, arrival) sorted: each list's arrivals together, in arrival order. */
        long[] sortedKeys() {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = ((long) level[i] << 58) | ((long) node[i] << 27) | i;
            }
            Arrays.sort(keys);
            return keys;
        }

        static long listOf(long key) {
            return ((key >>> 58) << 32) | ((key >>> 27) & 0x7FFF_FFFFL);
        }

        static int sequence(long key) {
            return (int) (key & ((1 << 27) - 1));
        }
    }

    @Override
    public int[] array(int l) {
        return l == 0 ? lists0 : lists[l];
    }

    @Override
    public int start(int l, int node) {
        return l == 0 ? node * maxConn0 : slot[l][node] * maxConn;
    }

    @Override
    public int count(int l, int node) {
        return l == 0 ? count0[node] : counts[l][slot[l][node]];
    }

    private void setCount(int l, int node, int c) {
        if (l == 0) {
            count0[node] = c;
        } else {
            counts[l][slot[l][node]] = c;
        }
    }

    private HnswGraph finish() {
        int levels = topLevel + 1;
        int[][] nodes = new int[levels][];
        int[][] offsets = new int[levels][];
        int[][] neighbours = new int[levels][];
        for (int l = 0; l < levels; l++) {
            int n = 0;
            long links = 0;
            for (int i = 0; i < size; i++) {
                if (level[i] >= l) {
                    n++;
                    links += count(l, i);
                }
            }
            int[] ids = new int[n];
            int[] off = new int[n + 1];
            int[] out = new int[(int) links];
            int[] array = array(l);
            int k = 0;
            for (int i = 0; i < size; i++) {
                if (level[i] >= l) {
                    int c = count(l, i);
                    System.arraycopy(array, start(l, i), out, off[k], c);
                    ids[k] = i;
                    off[k + 1] = off[k] + c;
                    k++;
                }
            }
            nodes[l] = ids;
            offsets[l] = off;
            neighbours[l] = out;
        }
        return HnswGraph.of(size, entry, nodes, offsets, neighbours);
    }
}
