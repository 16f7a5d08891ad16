package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SequenceRowsTest {
    private static long[] keys(int users) {
        long[] out = new long[users];
        for (int u = 0; u < users; u++) {
            out[u] = SequenceRows.key("u" + u);
        }
        return out;
    }

    /** Batch by batch, the keys of {@code parts}' users in that batch of {@code epoch}. */
    private static List<TreeSet<Long>> batches(List<long[]> parts, long[] everyone, int epoch, int batchSize) {
        List<TreeSet<Long>> out = new ArrayList<>();
        for (long[] mine : parts) {
            int[][] cut = SequenceRows.cut(mine, everyone, 7, epoch, batchSize);
            for (int b = 0; b < cut.length; b++) {
                if (out.size() <= b) {
                    out.add(new TreeSet<>());
                }
                for (int u : cut[b]) {
                    out.get(b).add(mine[u]);
                }
            }
        }
        return out;
    }

    @Test
    void batchesHoldExactlyBatchSizeUsersButTheLastWhateverThePartitioning() {
        long[] everyone = keys(100);
        long[] even = new long[50];
        long[] odd = new long[50];
        for (int u = 0; u < 100; u++) {
            (u % 2 == 0 ? even : odd)[u / 2] = everyone[u];
        }
        long[] first = java.util.Arrays.copyOfRange(everyone, 0, 3);
        long[] rest = java.util.Arrays.copyOfRange(everyone, 3, 100);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<TreeSet<Long>> one = batches(List.of(everyone), everyone, epoch, 32);
            assertThat(one).extracting(TreeSet::size).containsExactly(32, 32, 32, 4);
            assertThat(batches(List.of(even, odd), everyone, epoch, 32)).isEqualTo(one);
            assertThat(batches(List.of(rest, first), everyone, epoch, 32)).isEqualTo(one);
            if (epoch > 0) {
                // Each epoch deals the users anew.
                assertThat(one).isNotEqualTo(batches(List.of(everyone), everyone, epoch - 1, 32));
            }
        }
        assertThat(SequenceRows.cut(everyone, everyone, 7, 0, 200)).hasDimensions(1, 100);
    }
}
