package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.UserSequences;
import org.junit.jupiter.api.Test;

/** The heap estimate of a sequential model, by hand on a tiny catalogue, and the refusal it decides. */
class SequentialMemoryTest {

    /** Users of 4, 3 and 1 items over a catalogue of 10: two training examples, the longest input 3 items. */
    private static UserSequences sequences() {
        Interactions.Builder b = Interactions.builder().hasTimestamps(true);
        int t = 0;
        for (int i : new int[] {0, 1, 2, 3}) {
            b.add(0, i, 1, t++);
        }
        for (int i : new int[] {4, 5, 6}) {
            b.add(1, i, 1, t++);
        }
        b.add(2, 9, 1, t);
        return UserSequences.of(b.build(IdMapping.of(List.of("a", "b", "c")),
                IdMapping.of(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))));
    }

    private static SequentialConfig sasrec(int maxLength, NextItemLoss loss, int patience) {
        return new SequentialConfig("sasrec", 8, 1, 2, maxLength, 0.2, 0.001, 128, 1, loss, 1, 1L, patience, false);
    }

    @Test
    void sasrecWithTheFullSoftmaxCountedByHand() {
        SequentialMemory.Estimate e = SequentialMemory.estimate(sasrec(5, NextItemLoss.SOFTMAX, 0), sequences());
        // Weights: items 11 x 8 + positions 5 x 8 + one block 6 x 8 x 8 = 512, times 3 with Adam's two slots.
        assertThat(e.weightFloats()).isEqualTo(1536);
        // A batch is the 2 examples of 3 steps: hidden 2 x 3 x 8 x 12 = 576, attention 2 x 2 heads x 3 x 3 x 4 = 144,
        // logits 2 x 3 x 10 items x 3 = 180.
        assertThat(e.activationFloats()).isEqualTo(576 + 144 + 180);
        assertThat(e.largest()).as("the block's 384 weights with their slots")
                .isEqualTo("the layers' kernels, 1 x 6 x 8 x 8");
    }

    @Test
    void gru4recWithEarlyStoppingAndTheSampledSoftmaxCountedByHand() {
        SequentialConfig config = new SequentialConfig("gru4rec", 4, 2, 1, 2, 0.2, 0.001, 1, 1,
                NextItemLoss.SAMPLED_SOFTMAX, 5, 1L, 3, false);
        SequentialMemory.Estimate e = SequentialMemory.estimate(config, sequences());
        // Weights: items 11 x 4 + two GRUs of 6 x 4 x 4 + 3 x 4 = 260; Adam's slots and the best copy: times 4.
        assertThat(e.weightFloats()).isEqualTo(1040);
        // Batch 1, steps cut to max_length 2: hidden 1 x 2 x 4 x 12 x 2 layers; no attention, no full logits.
        assertThat(e.activationFloats()).isEqualTo(192);
        assertThat(e.largest()).isEqualTo("the layers' kernels, 2 x 6 x 4 x 4");
    }

    @Test
    void aModelPastTheHeapIsRefusedWithItsSizesAndOneWithinPasses() {
        SequentialConfig config = sasrec(5, NextItemLoss.SOFTMAX, 0);
        // (1,536 + 900) floats are 9,744 bytes: more than 80% of 12,000, less than 80% of 13,000.
        assertThatCode(() -> SequentialMemory.requireFits(config, sequences(), 13_000, "Lower it"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SequentialMemory.requireFits(config, sequences(), 12_000, "Lower it"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sasrec would need at least 0.0 GB: 0.0 GB of weights with Adam's slots and 0.0 GB of "
                        + "activations a batch, more than the 0.0 GB heap can train; the largest is the layers' "
                        + "kernels, 1 x 6 x 8 x 8. Lower it, or give Java more heap (-Xmx)");
    }

    @Test
    void aWidthBeyondAnyHeapSaturatesRatherThanOverflows() {
        SequentialConfig config = new SequentialConfig("sasrec", 2_000_000_000, 1, 1, 2_000_000_000, 0.2, 0.001,
                2_000_000_000, 1, NextItemLoss.SOFTMAX, 1, 1L, 0, false);
        SequentialMemory.Estimate e = SequentialMemory.estimate(config, sequences());
        assertThat(e.weightFloats()).isPositive();
        assertThat(e.gigabytes()).isGreaterThan(1e9);
        assertThatThrownBy(() -> SequentialMemory.requireFits(config, sequences(), Runtime.getRuntime().maxMemory(),
                "Lower it")).hasMessageStartingWith("sasrec would need at least ");
    }
}
