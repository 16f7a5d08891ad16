package org.embedrec.index;

/** The similarity of a graph node to what a search is looking for (larger is nearer). */
interface NodeScorer {
    float score(int node);

    /**
     * {@link #score} of {@code nodes[0..count)} into {@code out}, the same values. A search scores a
     * node's new neighbours together: independent scores let the processor wait for several
     * nodes' memory at once instead of one after the other (on a large catalogue the walk's time
     * is those waits), and a scorer may touch all their memory before it computes.
     */
    default void scoreAll(int[] nodes, int count, float[] out) {
        for (int j = 0; j < count; j++) {
            out[j] = score(nodes[j]);
        }
    }
}
