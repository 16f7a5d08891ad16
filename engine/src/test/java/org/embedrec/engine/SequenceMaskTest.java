package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SequenceMaskTest {

    @Test
    void leftAndRightPaddingPutTheRealStepsAtTheEndOrTheStart() {
        SequenceMask left = SequenceMask.leftPadded(new int[] {2, 0, 3}, 3);
        SequenceMask right = SequenceMask.rightPadded(new int[] {2, 0, 3}, 3);
        assertThat(left.asTensor().data()).containsExactly(0, 1, 1, 0, 0, 0, 1, 1, 1);
        assertThat(right.asTensor().data()).containsExactly(1, 1, 0, 0, 0, 0, 1, 1, 1);
        assertThat(left.asTensor().shape()).containsExactly(3, 3, 1);
        assertThat(left.length(0)).isEqualTo(2);
        assertThat(right.isValid(0, 2)).isFalse();
        assertThat(SequenceMask.fromIds(new int[] {0, 7, 7, 0}, 2, 2, 0).asTensor().data()).containsExactly(0, 1, 1, 0);
    }

    @Test
    void asTensorZeroesPaddedStepsThroughMul() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 2);
        Tensor masked = Ops.mul(x, SequenceMask.rightPadded(new int[] {2}, 3).asTensor());
        assertThat(masked.data()).containsExactly(1, 2, 3, 4, 0, 0);
    }

    @Test
    void refusesLengthsAndSizesThatDoNotFit() {
        assertThatThrownBy(() -> SequenceMask.leftPadded(new int[] {1, 4}, 3))
                .hasMessage("SequenceMask: length 4 of sequence 1 is outside [0, 3]");
        assertThatThrownBy(() -> SequenceMask.of(new boolean[5], 2, 3))
                .hasMessage("SequenceMask: 5 flags for 2 sequences of 3 steps; expected 6");
        assertThatThrownBy(() -> SequenceMask.fromIds(new int[5], 2, 3, 0))
                .hasMessage("SequenceMask: 5 ids for 2 sequences of 3 steps; expected 6");
    }
}
