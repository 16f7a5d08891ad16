package org.embedrec.index;

import java.util.function.IntPredicate;

/**
 * The two searches of HNSW (Malkov and Yashunin 2016, algorithms 2 and 5) over one level of a
 * graph, with the memory they need kept between searches: one instance per thread.
 *
 * <p>Visited nodes are marked in a byte array stamped with a generation number that each search
 * increments, so a search neither allocates nor clears a set of the graph's size: the array is
 * wiped only when the counter wraps, once per 255 searches. Bytes rather than ints keep the
 * marks of a million nodes in a megabyte, which stays in cache between the walk's random reads.
 *
 * <p>A node's neighbours are taken in two passes: first the unvisited ones are picked out and all
 * of them scored ({@link NodeScorer#scoreAll}), then they are offered to the heaps in list order.
 * The order and the scores are those of one-at-a-time scoring, so the results are the same; the
 * memory reads of a whole neighbour list overlap instead of waiting in turn.
 */
final class BeamSearch {
    private final byte[] visited;
    private byte generation;
    private final NodeHeap candidates = NodeHeap.highestFirst();
    private final NodeHeap results = NodeHeap.lowestFirst();
    private int greedyNode;
    private float greedyScore;
    /** A neighbour list's nodes to score, and their scores. */
    private int[] pending = new int[64];
    private float[] pendingScores = new float[64];

    BeamSearch(int nodes) {
        this.visited = new byte[nodes];
    }

    private void ensurePending(int count) {
        if (pending.length < count) {
            pending = new int[Math.max(count, 2 * pending.length)];
            pendingScores = new float[pending.length];
        }
    }

    int capacity() {
        return visited.length;
    }

    /**
     * The node on {@code level} nearest what {@code scorer} scores, walking from {@code entry}
     * (scored {@code entryScore}) to a better neighbour while there is one; read it with
     * {@link #greedyNode()} and {@link #greedyScore()}.
     */
    void greedy(GraphLayers graph, int level, int entry, float entryScore, NodeScorer scorer) {
        int best = entry;
        float bestScore = entryScore;
        boolean moved = true;
        while (moved) {
            moved = false;
            int[] array = graph.array(level);
            int from = graph.start(level, best);
            int count = graph.count(level, best);
            ensurePending(count);
            System.arraycopy(array, from, pending, 0, count);
            scorer.scoreAll(pending, count, pendingScores);
            int current = best;
            for (int j = 0; j < count; j++) {
                int node = pending[j];
                float s = pendingScores[j];
                if (s > bestScore || (s == bestScore && node < best)) {
                    best = node;
                    bestScore = s;
                }
            }
            moved = best != current;
        }
        greedyNode = best;
        greedyScore = bestScore;
    }

    int greedyNode() {
        return greedyNode;
    }

    float greedyScore() {
        return greedyScore;
    }

    /**
     * The {@code ef} nodes of {@code level} nearest what {@code scorer} scores that {@code exclude}
     * (null: none) does not exclude, found by a best-first walk from {@code entry}: left in
     * {@link #results()}, worst on top. Excluded nodes are walked through but not collected.
     */
    NodeHeap search(GraphLayers graph, int level, int entry, float entryScore, int ef, NodeScorer scorer,
                    IntPredicate exclude) {
        byte stamp = nextGeneration();
        candidates.clear();
        results.clear();
        visited[entry] = stamp;
        candidates.push(entry, entryScore);
        if (exclude == null || !exclude.test(entry)) {
            results.push(entry, entryScore);
        }
        int[] array = graph.array(level);
        while (candidates.size() > 0) {
            int current = candidates.topNode();
            float currentScore = candidates.topScore();
            if (results.size() >= ef && currentScore < results.topScore()) {
                break; // every candidate left is worse than the worst result: the walk cannot improve them
            }
            candidates.pop();
            int from = graph.start(level, current);
            int to = from + graph.count(level, current);
            ensurePending(to - from);
            int count = 0;
            for (int i = from; i < to; i++) {
                int node = array[i];
                if (visited[node] != stamp) {
                    visited[node] = stamp;
                    pending[count++] = node;
                }
            }
            scorer.scoreAll(pending, count, pendingScores);
            for (int j = 0; j < count; j++) {
                int node = pending[j];
                float s = pendingScores[j];
                if (results.size() < ef || s > results.topScore()) {
                    candidates.push(node, s);
                    if (exclude == null || !exclude.test(node)) {
                        results.push(node, s);
                        if (results.size() > ef) {
                            results.pop();
                        }
                    }
                }
            }
        }
        return results;
    }

    /** The last {@link #search}'s nodes, worst on top; valid until the next search. */
    NodeHeap results() {
        return results;
    }

    private byte nextGeneration() {
        if (++generation == 0) { // wrapped (a byte counts 1..127, -128..-1, then 0): old marks could match again
            java.util.Arrays.fill(visited, (byte) 0);
            generation = 1;
        }
        return generation;
    }
}
