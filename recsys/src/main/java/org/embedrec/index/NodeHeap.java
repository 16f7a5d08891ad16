package org.embedrec.index;

/**
 * A binary heap of (node, score) pairs in two primitive arrays, reused from search to search:
 * no object per entry and no allocation once it has grown to the largest size a search needs.
 *
 * <p>{@link #lowestFirst()} keeps the worst pair on top (lower score, then larger id), the order
 * a search's bounded result set evicts in; {@link #highestFirst()} the best (higher score, then
 * smaller id), the order candidates are expanded in. Both are total orders, so a search pops
 * pairs in one order whatever the order they were pushed in.
 */
final class NodeHeap {
    private final boolean highestFirst;
    private int[] nodes = new int[64];
    private float[] scores = new float[64];
    private int size;

    private NodeHeap(boolean highestFirst) {
        this.highestFirst = highestFirst;
    }

    static NodeHeap lowestFirst() {
        return new NodeHeap(false);
    }

    static NodeHeap highestFirst() {
        return new NodeHeap(true);
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    int topNode() {
        return nodes[0];
    }

    float topScore() {
        return scores[0];
    }

    void push(int node, float score) {
        if (size == nodes.length) {
            nodes = java.util.Arrays.copyOf(nodes, size * 2);
            scores = java.util.Arrays.copyOf(scores, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!above(node, score, nodes[parent], scores[parent])) {
                break;
            }
            nodes[i] = nodes[parent];
            scores[i] = scores[parent];
            i = parent;
        }
        nodes[i] = node;
        scores[i] = score;
    }

    /** Removes the top pair; read it first with {@link #topNode()} and {@link #topScore()}. */
    void pop() {
        int last = --size;
        int node = nodes[last];
        float score = scores[last];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && above(nodes[right], scores[right], nodes[child], scores[child])) {
                child = right;
            }
            if (!above(nodes[child], scores[child], node, score)) {
                break;
            }
            nodes[i] = nodes[child];
            scores[i] = scores[child];
            i = child;
        }
        nodes[i] = node;
        scores[i] = score;
    }

    /** Whether pair a belongs above pair b. */
    private boolean above(int a, float sa, int b, float sb) {
        if (highestFirst) {
            return sa > sb || (sa == sb && a < b);
        }
        return sa < sb || (sa == sb && a > b);
    }
}
