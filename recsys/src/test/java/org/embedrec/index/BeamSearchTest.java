package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The walk scores a node's new neighbours together ({@link NodeScorer#scoreAll}) and then offers
 * them in list order: its answers must be those of the textbook walk that scores and offers one
 * neighbour at a time (written out below), on any graph, query, beam width and exclusion.
 */
class BeamSearchTest {

    @Property(tries = 60)
    void searchFindsWhatTheOneAtATimeWalkFinds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int ef,
                                               @ForAll boolean excludeSome) {
        SplittableRandom random = new SplittableRandom(seed);
        int nodes = 50 + random.nextInt(400);
        RandomGraph graph = RandomGraph.of(nodes, 2 + random.nextInt(30), random);
        float[] scores = new float[nodes];
        for (int i = 0; i < nodes; i++) {
            scores[i] = random.nextInt(50) / 7f; // few distinct values: ties are common
        }
        NodeScorer scorer = node -> scores[node];
        IntPredicate exclude = excludeSome ? node -> node % 3 == 0 : null;
        int entry = random.nextInt(nodes);

        BeamSearch search = new BeamSearch(nodes);
        for (int repeat = 0; repeat < 3; repeat++) { // the visited stamps of earlier searches must not leak
            NodeHeap found = search.search(graph, 0, entry, scores[entry], ef, scorer, exclude);
            assertThat(drain(found)).isEqualTo(oneAtATime(graph, entry, scores, ef, exclude));
        }
    }

    @Property(tries = 5)
    void marksOfEarlierSearchesNeverLeakAcrossTheStampsWrap(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int nodes = 5_000; // a search visits a small part, so marks of old searches survive until the wrap
        RandomGraph graph = RandomGraph.of(nodes, 4, random);
        float[] scores = new float[nodes];
        for (int i = 0; i < nodes; i++) {
            scores[i] = random.nextInt(20);
        }
        BeamSearch search = new BeamSearch(nodes);
        for (int s = 0; s < 700; s++) { // the one-byte stamp wraps after 255 searches
            int entry = (s % 255) * 19; // search 256 starts where search 1 did, with search 1's stamp
            int ef = 1 + s % 5;
            NodeHeap found = search.search(graph, 0, entry, scores[entry], ef, node -> scores[node], null);
            assertThat(drain(found)).as("search %d", s).isEqualTo(oneAtATime(graph, entry, scores, ef, null));
        }
    }

    @Property(tries = 60)
    void greedyStopsWhereTheOneAtATimeWalkStops(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int nodes = 20 + random.nextInt(200);
        RandomGraph graph = RandomGraph.of(nodes, 1 + random.nextInt(12), random);
        float[] scores = new float[nodes];
        for (int i = 0; i < nodes; i++) {
            scores[i] = random.nextInt(30);
        }
        int entry = random.nextInt(nodes);
        BeamSearch search = new BeamSearch(nodes);
        search.greedy(graph, 0, entry, scores[entry], node -> scores[node]);

        int best = entry;
        boolean moved = true;
        while (moved) {
            int current = best;
            for (int node : graph.lists[current]) {
                if (scores[node] > scores[best] || (scores[node] == scores[best] && node < best)) {
                    best = node;
                }
            }
            moved = best != current;
        }
        assertThat(search.greedyNode()).isEqualTo(best);
        assertThat(search.greedyScore()).isEqualTo(scores[best]);
    }

    /** HNSW's algorithm 2 as the paper writes it: each neighbour scored, then offered, before the next. */
    private static List<String> oneAtATime(RandomGraph graph, int entry, float[] scores, int ef, IntPredicate exclude) {
        // Candidates best first (ties: smaller id); results worst on top (lower score, then larger id), as NodeHeap.
        PriorityQueue<Integer> candidates = new PriorityQueue<>((a, b) -> scores[a] != scores[b]
                ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
        PriorityQueue<Integer> results = new PriorityQueue<>((a, b) -> scores[a] != scores[b]
                ? Float.compare(scores[a], scores[b]) : Integer.compare(b, a));
        boolean[] visited = new boolean[scores.length];
        visited[entry] = true;
        candidates.add(entry);
        if (exclude == null || !exclude.test(entry)) {
            results.add(entry);
        }
        while (!candidates.isEmpty()) {
            int current = candidates.peek();
            if (results.size() >= ef && scores[current] < scores[results.peek()]) {
                break;
            }
            candidates.poll();
            for (int node : graph.lists[current]) {
                if (visited[node]) {
                    continue;
                }
                visited[node] = true;
                if (results.size() < ef || scores[node] > scores[results.peek()]) {
                    candidates.add(node);
                    if (exclude == null || !exclude.test(node)) {
                        results.add(node);
                        if (results.size() > ef) {
                            results.poll();
                        }
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        while (!results.isEmpty()) {
            int node = results.poll();
            out.add(node + ":" + scores[node]);
        }
        return out;
    }

    private static List<String> drain(NodeHeap heap) {
        List<String> out = new ArrayList<>();
        while (heap.size() > 0) {
            out.add(heap.topNode() + ":" + heap.topScore());
            heap.pop();
        }
        return out;
    }

    /** One level of random neighbour lists (no self-links, no repeats), laid out as the finished graph's rows. */
    private static final class RandomGraph implements GraphLayers {
        final int[][] lists;
        private final int[] array;
        private final int[] starts;

        private RandomGraph(int[][] lists) {
            this.lists = lists;
            this.starts = new int[lists.length];
            int total = 0;
            for (int i = 0; i < lists.length; i++) {
                starts[i] = total;
                total += lists[i].length;
            }
            this.array = new int[total];
            for (int i = 0; i < lists.length; i++) {
                System.arraycopy(lists[i], 0, array, starts[i], lists[i].length);
            }
        }

        static RandomGraph of(int nodes, int maxDegree, SplittableRandom random) {
            int[][] lists = new int[nodes][];
            for (int i = 0; i < nodes; i++) {
                int self = i;
                int degree = Math.min(1 + random.nextInt(maxDegree), nodes - 1);
                lists[i] = random.ints(0, nodes).filter(n -> n != self).distinct().limit(degree).toArray();
            }
            return new RandomGraph(lists);
        }

        @Override
        public int[] array(int level) {
            return array;
        }

        @Override
        public int start(int level, int node) {
            return starts[node];
        }

        @Override
        public int count(int level, int node) {
            return lists[node].length;
        }
    }
}
