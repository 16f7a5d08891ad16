package org.embedrec.index;

import java.util.Arrays;

/**
 * A finished HNSW graph in compressed rows, the layout searches read and the model artifact
 * saves: for each level {@code l}, the ascending ids of the nodes on it ({@link #nodes(int)};
 * every node is on level 0), and their neighbour lists back to back ({@link #neighbours(int)})
 * with {@code offsets(l)[i]} where the i-th node's list starts ({@code nodes(l).length + 1}
 * offsets). A search enters at {@link #entryPoint()}, a node of the top level.
 *
 * <p>Immutable: the arrays are never changed after construction, so threads share a graph freely.
 */
public final class HnswGraph implements GraphLayers {
    private final int size;
    private final int entryPoint;
    private final int[][] nodes;
    private final int[][] offsets;
    private final int[][] neighbours;

    private HnswGraph(int size, int entryPoint, int[][] nodes, int[][] offsets, int[][] neighbours) {
        this.size = size;
        this.entryPoint = entryPoint;
        this.nodes = nodes;
        this.offsets = offsets;
        this.neighbours = neighbours;
    }

    /**
     * The graph these arrays describe (level {@code l} is element {@code l} of each), after
     * checking that they are one: node ids ascending and in {@code [0, size)}, level 0 holding
     * every node and each level a subset of the one below, offsets ascending from 0 to the
     * number of neighbours, each neighbour a node of the same level other than the list's own,
     * and the entry point on the top level.
     *
     * @throws IllegalArgumentException naming the level, the array and the position of the first inconsistency
     */
    public static HnswGraph of(int size, int entryPoint, int[][] nodes, int[][] offsets, int[][] neighbours) {
        if (size < 1) {
            throw new IllegalArgumentException("HNSW graph: " + size + " nodes; expected at least 1");
        }
        int levels = nodes.length;
        if (levels < 1 || offsets.length != levels || neighbours.length != levels) {
            throw new IllegalArgumentException("HNSW graph: " + nodes.length + " levels of nodes, " + offsets.length
                    + " of offsets, " + neighbours.length + " of neighbours; expected the same number, at least 1");
        }
        for (int l = 0; l < levels; l++) {
            int[] ids = nodes[l];
            String where = "HNSW graph level " + l;
            if (ids == null || offsets[l] == null || neighbours[l] == null) {
                throw new IllegalArgumentException(where + ": missing arrays");
            }
            if (l == 0 && ids.length != size) {
                throw new IllegalArgumentException(where + ": " + ids.length + " nodes; expected all " + size);
            }
            if (ids.length == 0) {
                throw new IllegalArgumentException(where + ": no nodes; expected at least the entry point");
            }
            for (int i = 0; i < ids.length; i++) {
                boolean ascending = i == 0 ? ids[i] >= 0 : ids[i] > ids[i - 1];
                if (!ascending || ids[i] >= size || (l > 0 && Arrays.binarySearch(nodes[l - 1], ids[i]) < 0)) {
                    throw new IllegalArgumentException(where + ": node " + i + " is " + ids[i] + "; expected ascending ids "
                            + "in [0, " + size + ")" + (l > 0 ? " that are on level " + (l - 1) : ""));
                }
            }
            int[] off = offsets[l];
            if (off.length != ids.length + 1 || off[0] != 0 || off[ids.length] != neighbours[l].length) {
                throw new IllegalArgumentException(where + ": " + off.length + " offsets from " + (off.length > 0 ? off[0] : "-")
                        + " to " + (off.length > 0 ? off[off.length - 1] : "-") + "; expected " + (ids.length + 1)
                        + " from 0 to " + neighbours[l].length);
            }
            for (int i = 0; i < ids.length; i++) {
                if (off[i + 1] < off[i]) {
                    throw new IllegalArgumentException(where + ": offset " + (i + 1) + " is below offset " + i);
                }
                for (int j = off[i]; j < off[i + 1]; j++) {
                    int n = neighbours[l][j];
                    boolean onLevel = l == 0 ? n >= 0 && n < size : Arrays.binarySearch(ids, n) >= 0;
                    if (!onLevel || n == ids[i]) {
                        throw new IllegalArgumentException(where + ": neighbour " + (j - off[i]) + " of node " + ids[i]
                                + " is " + n + "; expected another node of this level");
                    }
                }
            }
        }
        if (Arrays.binarySearch(nodes[levels - 1], entryPoint) < 0) {
            throw new IllegalArgumentException("HNSW graph: entry point " + entryPoint + " is not on the top level "
                    + (levels - 1));
        }
        return new HnswGraph(size, entryPoint, nodes, offsets, neighbours);
    }

    /**
     * The nodes in breadth-first order over level 0 from the entry point, each list's neighbours
     * in their stored order (then any node the walk did not reach, each starting a walk of its
     * own, in id order): {@code order[r]} is the node to number {@code r}. A search expands a
     * node's neighbours one after another, and this order gives a node's neighbours numbers near
     * each other and near it, so their rows of anything kept in node order share memory pages
     * and cache lines.
     */
    public int[] breadthFirstOrder() {
        int[] order = new int[size];
        boolean[] seen = new boolean[size];
        int placed = 0;
        for (int start = -1; start < size; start++) {
            int root = start < 0 ? entryPoint : start;
            if (seen[root]) {
                continue;
            }
            seen[root] = true;
            order[placed++] = root;
            for (int head = placed - 1; head < placed; head++) { // the order array is the queue
                int node = order[head];
                for (int j = offsets[0][node]; j < offsets[0][node + 1]; j++) {
                    int n = neighbours[0][j];
                    if (!seen[n]) {
                        seen[n] = true;
                        order[placed++] = n;
                    }
                }
            }
        }
        return order;
    }

    /**
     * This graph with node {@code order[r]} renamed {@code r} (a permutation of the node ids):
     * the same edges, each list in the same order, the upper levels' nodes sorted by their new
     * ids. Renumbering by the inverse permutation gives this graph back.
     *
     * @throws IllegalArgumentException if {@code order} is not a permutation of {@code [0, size)}
     */
    public HnswGraph renumbered(int[] order) {
        if (order.length != size) {
            throw new IllegalArgumentException("HNSW graph renumbering: " + order.length + " ids for " + size
                    + " nodes; expected one per node");
        }
        int[] newId = new int[size];
        Arrays.fill(newId, -1);
        for (int r = 0; r < size; r++) {
            int old = order[r];
            if (old < 0 || old >= size || newId[old] >= 0) {
                throw new IllegalArgumentException("HNSW graph renumbering: position " + r + " holds " + old
                        + "; expected each node of [0, " + size + ") once");
            }
            newId[old] = r;
        }
        int levels = nodes.length;
        int[][] newNodes = new int[levels][];
        int[][] newOffsets = new int[levels][];
        int[][] newNeighbours = new int[levels][];
        for (int l = 0; l < levels; l++) {
            int count = nodes[l].length;
            // The level's positions sorted by new id, as longs (new id, old position): no boxing.
            long[] byNewId = new long[count];
            for (int i = 0; i < count; i++) {
                byNewId[i] = (long) newId[nodes[l][i]] << 32 | i;
            }
            Arrays.sort(byNewId);
            int[] ids = new int[count];
            int[] off = new int[count + 1];
            int[] lists = new int[neighbours[l].length];
            int at = 0;
            for (int i = 0; i < count; i++) {
                ids[i] = (int) (byNewId[i] >>> 32);
                int oldPosition = (int) byNewId[i];
                for (int j = offsets[l][oldPosition]; j < offsets[l][oldPosition + 1]; j++) {
                    lists[at++] = newId[neighbours[l][j]];
                }
                off[i + 1] = at;
            }
            newNodes[l] = ids;
            newOffsets[l] = off;
            newNeighbours[l] = lists;
        }
        return new HnswGraph(size, newId[entryPoint], newNodes, newOffsets, newNeighbours);
    }

    /** The number of nodes (items). */
    public int size() {
        return size;
    }

    /** The number of levels, 1 or more. */
    public int levels() {
        return nodes.length;
    }

    public int entryPoint() {
        return entryPoint;
    }

    /** The ascending ids of the nodes on {@code level} (shared, do not modify). */
    public int[] nodes(int level) {
        return nodes[level];
    }

    /** Where each node's list starts in {@link #neighbours(int)}, and the end (shared, do not modify). */
    public int[] offsets(int level) {
        return offsets[level];
    }

    /** The neighbour lists of {@code level} back to back (shared, do not modify). */
    public int[] neighbours(int level) {
        return neighbours[level];
    }

    /** The heap the arrays take, in bytes. */
    public long bytes() {
        long ints = 0;
        for (int l = 0; l < nodes.length; l++) {
            ints += nodes[l].length + offsets[l].length + neighbours[l].length;
        }
        return 4 * ints;
    }

    /** {@code node}'s neighbours on {@code level}, a copy (for tests and inspection). */
    public int[] neighbours(int level, int node) {
        return Arrays.copyOfRange(neighbours[level], start(level, node), start(level, node) + count(level, node));
    }

    @Override
    public int[] array(int level) {
        return neighbours[level];
    }

    @Override
    public int start(int level, int node) {
        return offsets[level][position(level, node)];
    }

    @Override
    public int count(int level, int node) {
        int i = position(level, node);
        return offsets[level][i + 1] - offsets[level][i];
    }

    /** Level 0 holds every node in id order; higher levels, few nodes, are searched by id. */
    private int position(int level, int node) {
        return level == 0 ? node : Arrays.binarySearch(nodes[level], node);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HnswGraph g && size == g.size && entryPoint == g.entryPoint
                && Arrays.deepEquals(nodes, g.nodes) && Arrays.deepEquals(offsets, g.offsets)
                && Arrays.deepEquals(neighbours, g.neighbours);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * size + entryPoint) + Arrays.deepHashCode(neighbours);
    }
}
