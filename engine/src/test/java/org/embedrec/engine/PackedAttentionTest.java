package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attention over packed sequences ({@link Ops#packedAttention}): finite-difference gradients over
 * random lengths (empty sequences included), heads and dropout; the values and gradients of the
 * padded op on the same sequences left-padded and masked, at every real step; no sequence sees
 * another's rows; one result on one and two threads; errors naming the bad starts.
 */
class PackedAttentionTest {
    private final GradientCheck check = new GradientCheck();
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Property(tries = 60)
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int sequences,
                                         @ForAll @IntRange(min = 1, max = 2) int heads,
                                         @ForAll @IntRange(min = 1, max = 3) int dk,
                                         @ForAll @IntRange(min = 1, max = 3) int dv,
                                         @ForAll boolean causal, @ForAll boolean dropout, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] starts = randomStarts(rng, sequences, 4);
        int rows = starts[sequences];
        if (rows == 0) {
            return;
        }
        Tensor q = RandomTensors.uniform(rng, rows, heads * dk);
        Tensor k = RandomTensors.uniform(rng, rows, heads * dk);
        Tensor v = RandomTensors.uniform(rng, rows, heads * dv);
        float rate = dropout ? 0.3f : 0f;
        check.check(t -> Ops.packedAttention(t.get(0), t.get(1), t.get(2), heads, causal, starts, rate,
                new Rng(seed)), List.of(q, k, v), seed);
    }

    @Property(tries = 40)
    void equalsThePaddedOpAtEveryRealStep(@ForAll @IntRange(min = 1, max = 4) int sequences,
                                          @ForAll @IntRange(min = 1, max = 3) int heads,
                                          @ForAll @IntRange(min = 1, max = 5) int dk,
                                          @ForAll @IntRange(min = 1, max = 5) int dv,
                                          @ForAll boolean causal, @ForAll long seed) {
        assertEqualsThePaddedOp(sequences, heads, dk, dv, causal, seed, 9);
    }

    /** Sequences longer than a causal row block, and shorter ones beside them. */
    @Property(tries = 10)
    void equalsThePaddedOpOnSequencesLongerThanARowBlock(@ForAll @IntRange(min = 1, max = 3) int sequences,
                                                         @ForAll @IntRange(min = 1, max = 2) int heads,
                                                         @ForAll boolean causal, @ForAll long seed) {
        assertEqualsThePaddedOp(sequences, heads, 3, 2, causal, seed, 3 * AttentionOps.CAUSAL_ROW_BLOCK + 7);
    }

    private static void assertEqualsThePaddedOp(int sequences, int heads, int dk, int dv, boolean causal, long seed,
                                                int maxLength) {
        Rng rng = new Rng(seed);
        int[] starts = randomStarts(rng, sequences, maxLength);
        int[] lengths = new int[sequences];
        int time = 1;
        for (int s = 0; s < sequences; s++) {
            lengths[s] = starts[s + 1] - starts[s];
            time = Math.max(time, lengths[s]);
        }
        int rows = starts[sequences];
        if (rows == 0) {
            return;   // every sequence empty: nothing to compare
        }
        Tensor q = RandomTensors.uniform(rng, -2f, 2f, rows, heads * dk);
        Tensor k = RandomTensors.uniform(rng, -2f, 2f, rows, heads * dk);
        Tensor v = RandomTensors.uniform(rng, rows, heads * dv);
        Tensor weights = RandomTensors.uniform(rng, rows, heads * dv).requiresGrad(false);
        List<float[]> packed = AttentionOpsTest.valueAndGradients(t -> Ops.packedAttention(t.get(0), t.get(1),
                t.get(2), heads, causal, starts, 0f, null), List.of(q, k, v), weights);

        // The same sequences left-padded to the longest, padding filled with noise the masks must hide.
        int[] padded = new int[rows];
        for (int s = 0; s < sequences; s++) {
            for (int i = 0; i < lengths[s]; i++) {
                padded[starts[s] + i] = s * time + time - lengths[s] + i;
            }
        }
        Tensor qp = scatter(q, padded, sequences, time, rng);
        Tensor kp = scatter(k, padded, sequences, time, rng);
        Tensor vp = scatter(v, padded, sequences, time, rng);
        Tensor wp = scatter(weights, padded, sequences, time, rng).requiresGrad(false);
        SequenceMask mask = SequenceMask.leftPadded(lengths, time);
        List<float[]> reference = AttentionOpsTest.valueAndGradients(t -> Ops.attention(t.get(0), t.get(1),
                t.get(2), heads, causal, mask, mask, 0f, null), List.of(qp, kp, vp), wp);

        int[] widths = {heads * dv, heads * dk, heads * dk, heads * dv};
        for (int a = 0; a < packed.size(); a++) {
            int w = widths[a];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < w; j++) {
                    assertThat(packed.get(a)[r * w + j]).as("array %d, row %d, column %d", a, r, j)
                            .isCloseTo(reference.get(a)[padded[r] * w + j], within(2e-5f));
                }
            }
        }
    }

    @Test
    void aSequenceSeesNoOtherSequencesRows() {
        int[] starts = {0, 3, 5};
        Rng rng = new Rng(4);
        Tensor x = RandomTensors.uniform(rng, 5, 4);
        Tensor changed = x.copy();
        for (int j = 0; j < 4; j++) {
            changed.data()[3 * 4 + j] += 7f;   // the second sequence's first row
        }
        Tensor a = Ops.packedAttention(x, x, x, 2, false, starts, 0f, null);
        Tensor b = Ops.packedAttention(changed, changed, changed, 2, false, starts, 0f, null);
        assertThat(java.util.Arrays.copyOf(b.data(), 12)).containsExactly(java.util.Arrays.copyOf(a.data(), 12));
        assertThat(java.util.Arrays.copyOfRange(b.data(), 12, 20))
                .isNotEqualTo(java.util.Arrays.copyOfRange(a.data(), 12, 20));
        // A sequence of one step attends only to itself: its output is its value.
        Tensor one = Ops.packedAttention(x, x, x, 1, true, new int[] {0, 1, 5}, 0f, null);
        assertThat(java.util.Arrays.copyOf(one.data(), 4)).containsExactly(java.util.Arrays.copyOf(x.data(), 4));
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        Parallel.setThreads(1);
        List<float[]> one = bigRun();
        Parallel.setThreads(2);
        List<float[]> two = bigRun();
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i)).as("array %d", i).containsExactly(one.get(i));
        }
    }

    private static List<float[]> bigRun() {
        Rng rng = new Rng(8);
        int[] starts = randomStarts(rng, 64, 40);
        int rows = starts[64];
        Tensor q = RandomTensors.uniform(rng, rows, 32);
        Tensor k = RandomTensors.uniform(rng, rows, 32);
        Tensor v = RandomTensors.uniform(rng, rows, 32);
        Tensor weights = RandomTensors.uniform(rng, rows, 32).requiresGrad(false);
        return AttentionOpsTest.valueAndGradients(t -> Ops.packedAttention(t.get(0), t.get(1), t.get(2), 4, true,
                starts, 0.2f, new Rng(3)), List.of(q, k, v), weights);
    }

    @Test
    void namesTheStartsThatDoNotFit() {
        Tensor x = Tensor.zeros(5, 4);
        assertThatThrownBy(() -> Ops.packedAttention(x, x, x, 1, true, new int[] {0, 3, 4}, 0f, null))
                .hasMessage("packed attention: sequence starts must begin at 0 and end at the 5 rows, got [0, 3, 4]");
        assertThatThrownBy(() -> Ops.packedAttention(x, x, x, 1, true, new int[] {0, 3, 2, 5}, 0f, null))
                .hasMessage("packed attention: sequence starts must not decrease, got 3 then 2 at sequence 2");
        assertThatThrownBy(() -> Ops.packedAttention(x, x, Tensor.zeros(4, 4), 1, true, new int[] {0, 5}, 0f, null))
                .hasMessageEndingWith("expected three tensors [rows, features] of the same rows");
    }

    /** Starts of {@code sequences} sequences of 0 to {@code maxLength} rows each. */
    private static int[] randomStarts(Rng rng, int sequences, int maxLength) {
        int[] starts = new int[sequences + 1];
        for (int s = 0; s < sequences; s++) {
            starts[s + 1] = starts[s] + rng.nextInt(maxLength + 1);
        }
        return starts;
    }

    /** Packed rows moved to their padded places; the padded places get noise. */
    private static Tensor scatter(Tensor packed, int[] padded, int sequences, int time, Rng rng) {
        int w = packed.dim(1);
        Tensor out = RandomTensors.uniform(rng, -3f, 3f, sequences, time, w);
        for (int r = 0; r < padded.length; r++) {
            System.arraycopy(packed.data(), r * w, out.data(), padded[r] * w, w);
        }
        return out;
    }
}
