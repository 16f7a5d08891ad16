package org.embedrec.index;

/**
 * The neighbour lists of an HNSW graph, one level at a time, as a search reads them: node
 * {@code n}'s neighbours on {@code level} are {@code array(level)[start .. start + count)}. Two
 * layouts implement it: the builder's fixed-capacity lists ({@link HnswGraphBuilder}) and the
 * finished graph's compressed rows ({@link HnswGraph}).
 */
interface GraphLayers {
    /** The array holding {@code level}'s lists. */
    int[] array(int level);

    /** Where {@code node}'s list on {@code level} starts in {@link #array}; the node must be on that level. */
    int start(int level, int node);

    /** The length of {@code node}'s list on {@code level}. */
    int count(int level, int node);
}
