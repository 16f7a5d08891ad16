package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchOrderTest {

    @Property(tries = 100)
    void eachEpochVisitsEveryExampleOnceInBatches(@ForAll @IntRange(min = 0, max = 500) int size,
            @ForAll @IntRange(min = 1, max = 64) int batchSize, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 5) int epoch) {
        BatchOrder order = new BatchOrder(size, batchSize, seed);

        int[][] batches = order.batches(epoch);

        assertThat(batches.length).isEqualTo(order.batchCount());
        int[] all = Arrays.stream(batches).flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, size).toArray());
        for (int b = 0; b < batches.length - 1; b++) {
            assertThat(batches[b]).hasSize(batchSize);
        }
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrderAndEpochsDiffer() {
        BatchOrder a = new BatchOrder(1000, 32, 9);
        BatchOrder b = new BatchOrder(1000, 32, 9);

        assertThat(a.epochOrder(3)).isEqualTo(b.epochOrder(3));
        assertThat(a.epochOrder(0)).isNotEqualTo(a.epochOrder(1));
        assertThat(a.epochOrder(0)).isNotEqualTo(new BatchOrder(1000, 32, 10).epochOrder(0));
        assertThat(a.epochOrder(0)).isNotEqualTo(IntStream.range(0, 1000).toArray());
    }

    @Test
    void dropLastLeavesOutTheShortBatch() {
        BatchOrder order = new BatchOrder(10, 4, 1, true);

        assertThat(order.batchCount()).isEqualTo(2);
        assertThat(Arrays.asList(order.batches(0))).allSatisfy(batch -> assertThat(batch).hasSize(4));
        assertThat(new BatchOrder(10, 4, 1).batchCount()).isEqualTo(3);
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> new BatchOrder(10, 0, 1)).hasMessage("batch size must be > 0, got 0");
        assertThatThrownBy(() -> new BatchOrder(-1, 4, 1)).hasMessage("size must be >= 0, got -1");
        assertThatThrownBy(() -> new BatchOrder(10, 4, 1).epochOrder(-1)).hasMessage("epoch must be >= 0, got -1");
    }
}
