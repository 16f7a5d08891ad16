package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.embedrec.engine.Rng;
import org.embedrec.index.HnswIndex.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The breadth-first order and the renumbering a search walks in: same edges, valid, reversible. */
class HnswGraphRenumberingTest {
    private static HnswGraph graph;

    @BeforeAll
    static void buildGraph() {
        graph = HnswGraphBuilder.build(RandomVectors.gaussian(new Rng(21), 4000 * 8), 8, new Settings(8, 32, 10, 42));
    }

    @Test
    void breadthFirstOrderIsAPermutationFromTheEntryPointWithNeighboursAfterTheirParent() {
        int[] order = graph.breadthFirstOrder();
        assertThat(order[0]).isEqualTo(graph.entryPoint());
        assertThat(Arrays.stream(order).sorted().toArray()).isEqualTo(identity(graph.size()));
        int[] position = inverse(order);
        // Every node but the entry point (and the roots of unreached parts) is first reached from an earlier node.
        for (int r = 1; r < order.length; r++) {
            int node = order[r];
            boolean reachedFromEarlier = false;
            for (int parent = 0; parent < graph.size() && !reachedFromEarlier; parent++) {
                if (position[parent] < r) {
                    for (int n : graph.neighbours(0, parent)) {
                        reachedFromEarlier |= n == node;
                    }
                }
            }
            assertThat(reachedFromEarlier || order[r] > order[r - 1]).as("position %d", r).isTrue();
            if (r > 50) {
                break; // the quadratic check on the first positions is enough
            }
        }
        assertThat(graph.breadthFirstOrder()).isEqualTo(order);
    }

    @Test
    void renumberingKeepsEveryEdgeAndListOrderAndIsReversible() {
        int[] order = graph.breadthFirstOrder();
        int[] newId = inverse(order);
        HnswGraph walk = graph.renumbered(order);
        // Valid by HnswGraph.of's own checks.
        int[][] nodes = new int[walk.levels()][];
        int[][] offsets = new int[walk.levels()][];
        int[][] lists = new int[walk.levels()][];
        for (int l = 0; l < walk.levels(); l++) {
            nodes[l] = walk.nodes(l);
            offsets[l] = walk.offsets(l);
            lists[l] = walk.neighbours(l);
        }
        assertThat(HnswGraph.of(walk.size(), walk.entryPoint(), nodes, offsets, lists)).isEqualTo(walk);
        assertThat(walk.entryPoint()).isEqualTo(0);
        for (int l = 0; l < graph.levels(); l++) {
            for (int node : graph.nodes(l)) {
                int[] mapped = Arrays.stream(graph.neighbours(l, node)).map(n -> newId[n]).toArray();
                assertThat(walk.neighbours(l, newId[node])).as("level %d, node %d", l, node).isEqualTo(mapped);
            }
        }
        assertThat(walk.renumbered(newId)).isEqualTo(graph);
    }

    @Test
    void aNonPermutationIsRefused() {
        int[] order = identity(graph.size());
        order[5] = 4;
        assertThatThrownBy(() -> graph.renumbered(order)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 5 holds 4");
        assertThatThrownBy(() -> graph.renumbered(new int[3])).hasMessageContaining("3 ids for 4000 nodes");
    }

    private static int[] identity(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    private static int[] inverse(int[] order) {
        int[] inverse = new int[order.length];
        for (int r = 0; r < order.length; r++) {
            inverse[order[r]] = r;
        }
        return inverse;
    }
}
