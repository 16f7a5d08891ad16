package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.index.HnswIndex.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HnswGraphBuilderTest {
    private static final int ORIGINAL_THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    /** Enough nodes for batches of many nodes (a batch is 1/64 of the graph so far), so threads share them. */
    @Test
    void oneSeedGivesOneGraphOnAnyNumberOfThreadsAndAnotherSeedAnother() {
        int n = 20_000;
        int dim = 8;
        float[] vectors = RandomVectors.gaussian(new Rng(9), n * dim);
        Settings settings = new Settings(8, 24, 10, 42);
        Parallel.setThreads(1);
        HnswGraph serial = HnswGraphBuilder.build(vectors, dim, settings);
        Parallel.setThreads(3);
        HnswGraph parallel = HnswGraphBuilder.build(vectors, dim, settings);
        assertThat(parallel).isEqualTo(serial);
        assertThat(HnswGraphBuilder.build(vectors, dim, new Settings(8, 24, 10, 43))).isNotEqualTo(serial);
    }

    @Test
    void listsAreWithinCapacityWithoutSelfLinksOrRepeats() {
        int n = 3000;
        int dim = 6;
        int m = 5;
        HnswGraph g = HnswGraphBuilder.build(RandomVectors.gaussian(new Rng(3), n * dim), dim, new Settings(m, 20, 10, 1));
        assertThat(g.levels()).isGreaterThan(1);
        long links = 0;
        for (int l = 0; l < g.levels(); l++) {
            for (int node : g.nodes(l)) {
                int[] list = g.neighbours(l, node);
                assertThat(list.length).isBetween(l == 0 ? 1 : 0, l == 0 ? 2 * m : m);
                Set<Integer> distinct = new HashSet<>();
                for (int x : list) {
                    assertThat(x).isNotEqualTo(node);
                    assertThat(distinct.add(x)).isTrue();
                }
                links += l == 0 ? list.length : 0;
            }
        }
        // Levels thin out by about 1/M each.
        assertThat(g.nodes(1).length).isBetween(n / m / 2, n / m * 2);
        assertThat(links).isGreaterThan(n * 3L);
    }

    @Test
    void inconsistentArraysAreRefusedWithTheLevelAndPositionNamed() {
        int[][] nodes = {{0, 1, 2}, {1}};
        int[][] offsets = {{0, 1, 2, 3}, {0, 0}};
        assertThat(HnswGraph.of(3, 1, nodes, offsets, new int[][] {{1, 2, 0}, {}}).neighbours(0, 2)).containsExactly(0);
        assertThatThrownBy(() -> HnswGraph.of(3, 1, nodes, offsets, new int[][] {{1, 1, 0}, {}}))
                .hasMessage("HNSW graph level 0: neighbour 0 of node 1 is 1; expected another node of this level");
        assertThatThrownBy(() -> HnswGraph.of(3, 1, nodes, offsets, new int[][] {{1, 3, 0}, {}}))
                .hasMessage("HNSW graph level 0: neighbour 0 of node 1 is 3; expected another node of this level");
        assertThatThrownBy(() -> HnswGraph.of(3, 0, nodes, offsets, new int[][] {{1, 2, 0}, {}}))
                .hasMessage("HNSW graph: entry point 0 is not on the top level 1");
        assertThatThrownBy(() -> HnswGraph.of(3, 1, new int[][] {{0, 1, 2}, {4}}, offsets, new int[][] {{1, 2, 0}, {}}))
                .hasMessage("HNSW graph level 1: node 0 is 4; expected ascending ids in [0, 3) that are on level 0");
        assertThatThrownBy(() -> HnswGraph.of(3, 1, nodes, new int[][] {{0, 2, 1, 3}, {0, 0}}, new int[][] {{1, 2, 0}, {}}))
                .hasMessage("HNSW graph level 0: offset 2 is below offset 1");
    }
}
