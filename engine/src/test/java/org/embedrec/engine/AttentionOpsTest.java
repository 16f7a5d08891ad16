package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-head scaled dot-product attention: finite-difference gradient checks over random shapes,
 * heads, masks and dropout; values and gradients equal to the attention written with the basic ops
 * (per-head slices, products, an additive mask and softmax); hand-computed weights; masked keys and
 * padded queries that take no part; dropout that keeps or drops whole weights; one result on one
 * and two threads; errors naming the shapes.
 */
class AttentionOpsTest {
    private final GradientCheck check = new GradientCheck();
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Property(tries = 60)
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int batch,
                                         @ForAll @IntRange(min = 1, max = 4) int tq,
                                         @ForAll @IntRange(min = 1, max = 4) int tk,
                                         @ForAll @IntRange(min = 1, max = 2) int heads,
                                         @ForAll @IntRange(min = 1, max = 3) int dk,
                                         @ForAll @IntRange(min = 1, max = 3) int dv,
                                         @ForAll boolean causal, @ForAll boolean masked, @ForAll boolean dropout,
                                         @ForAll long seed) {
        Rng rng = new Rng(seed);
        int keys = causal ? tq : tk;
        Tensor q = RandomTensors.uniform(rng, batch, tq, heads * dk);
        Tensor k = RandomTensors.uniform(rng, batch, keys, heads * dk);
        Tensor v = RandomTensors.uniform(rng, batch, keys, heads * dv);
        SequenceMask keyMask = masked ? RecurrentOpsTest.randomMask(rng, batch, keys) : null;
        SequenceMask queryMask = masked ? RecurrentOpsTest.randomMask(rng, batch, tq) : null;
        float rate = dropout ? 0.3f : 0f;
        // A new generator of one seed per evaluation: every evaluation drops the same weights.
        check.check(t -> Ops.attention(t.get(0), t.get(1), t.get(2), heads, causal, queryMask, keyMask, rate,
                new Rng(seed)), List.of(q, k, v), seed);
    }

    @Property(tries = 40)
    void equalsAttentionWrittenWithTheBasicOps(@ForAll @IntRange(min = 1, max = 3) int batch,
                                               @ForAll @IntRange(min = 1, max = 6) int tq,
                                               @ForAll @IntRange(min = 1, max = 6) int tk,
                                               @ForAll @IntRange(min = 1, max = 3) int heads,
                                               @ForAll @IntRange(min = 1, max = 5) int dk,
                                               @ForAll @IntRange(min = 1, max = 5) int dv,
                                               @ForAll boolean causal, @ForAll boolean masked, @ForAll long seed) {
        assertEqualsTheBasicOps(batch, tq, tk, heads, dk, dv, causal, masked, seed);
    }

    /** Causal sequences longer than a row block: the blocks skip only weights the mask zeroes. */
    @Property(tries = 12)
    void causalRowBlocksEqualAttentionWrittenWithTheBasicOps(
            @ForAll @IntRange(min = AttentionOps.CAUSAL_ROW_BLOCK + 1, max = 3 * AttentionOps.CAUSAL_ROW_BLOCK + 5) int time,
            @ForAll @IntRange(min = 1, max = 2) int heads, @ForAll boolean masked, @ForAll long seed) {
        assertEqualsTheBasicOps(2, time, time, heads, 3, 2, true, masked, seed);
    }

    @Property(tries = 6)
    void causalRowBlocksHaveTheGradientsOfFiniteDifferences(
            @ForAll @IntRange(min = AttentionOps.CAUSAL_ROW_BLOCK - 1, max = 2 * AttentionOps.CAUSAL_ROW_BLOCK + 3) int time,
            @ForAll boolean dropout, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, 1, time, 2);
        Tensor k = RandomTensors.uniform(rng, 1, time, 2);
        Tensor v = RandomTensors.uniform(rng, 1, time, 2);
        SequenceMask mask = RecurrentOpsTest.randomMask(rng, 1, time);
        float rate = dropout ? 0.3f : 0f;
        check.check(t -> Ops.attention(t.get(0), t.get(1), t.get(2), 2, true, mask, mask, rate, new Rng(seed)),
                List.of(q, k, v), seed);
    }

    private static void assertEqualsTheBasicOps(int batch, int tq, int tk, int heads, int dk, int dv, boolean causal,
                                                boolean masked, long seed) {
        Rng rng = new Rng(seed);
        int keys = causal ? tq : tk;
        Tensor q = RandomTensors.uniform(rng, -2f, 2f, batch, tq, heads * dk);
        Tensor k = RandomTensors.uniform(rng, -2f, 2f, batch, keys, heads * dk);
        Tensor v = RandomTensors.uniform(rng, batch, keys, heads * dv);
        // Key 0 stays real, so that every query sees a key and the reference softmax has no empty row.
        boolean[] flags = new boolean[batch * keys];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = i % keys == 0 || !masked || rng.nextInt(3) > 0;
        }
        SequenceMask keyMask = SequenceMask.of(flags, batch, keys);
        Tensor weights = RandomTensors.uniform(rng, batch, tq, heads * dv).requiresGrad(false);
        List<float[]> fused = valueAndGradients(t -> Ops.attention(t.get(0), t.get(1), t.get(2), heads, causal,
                null, keyMask, 0f, null), List.of(q, k, v), weights);
        List<float[]> reference = valueAndGradients(t -> reference(t.get(0), t.get(1), t.get(2), heads, causal, keyMask),
                List.of(q, k, v), weights);
        for (int i = 0; i < fused.size(); i++) {
            assertThat(fused.get(i)).as("array %d", i).containsExactly(reference.get(i), within(2e-5f));
        }
    }

    @Test
    void weighsTheValuesBySoftmaxOfScaledScoresByHand() {
        // One query [1, 0, 0, 0] against keys [2, 0, 0, 0] and [0, 0, 0, 0]: scores 2 / sqrt(4) = 1 and 0.
        Tensor q = Tensor.of(new float[] {1, 0, 0, 0}, 1, 1, 4);
        Tensor k = Tensor.of(new float[] {2, 0, 0, 0, 0, 0, 0, 0}, 1, 2, 4);
        Tensor v = Tensor.of(new float[] {10, 0}, 1, 2, 1);
        double w = Math.exp(1) / (Math.exp(1) + 1);
        Tensor out = Ops.attention(q, k, v, 1, false, null, null, 0f, null);
        assertThat(out.data()[0]).isCloseTo((float) (10 * w), within(1e-5f));
        // With the first key padded only the second is left.
        SequenceMask firstPadded = SequenceMask.leftPadded(new int[] {1}, 2);
        assertThat(Ops.attention(q, k, v, 1, false, null, firstPadded, 0f, null).data()[0]).isEqualTo(0f);
    }

    @Test
    void aCausalQuerySeesNoLaterKeyAndPaddedQueriesGiveZeroAndGetNoGradient() {
        Rng rng = new Rng(5);
        Tensor x = RandomTensors.uniform(rng, 1, 4, 6);
        Tensor later = x.copy();
        // Changing step 3 changes no output before it.
        for (int j = 0; j < 6; j++) {
            later.data()[3 * 6 + j] += 5f;
        }
        Tensor a = Ops.attention(x, x, x, 2, true, null, null, 0f, null);
        Tensor b = Ops.attention(later, later, later, 2, true, null, null, 0f, null);
        assertThat(Arrays.copyOf(b.data(), 18)).containsExactly(Arrays.copyOf(a.data(), 18));
        assertThat(Arrays.copyOfRange(b.data(), 18, 24)).isNotEqualTo(Arrays.copyOfRange(a.data(), 18, 24));

        // Left padding of two steps: those queries output zeros, and nothing reaches those steps.
        SequenceMask mask = SequenceMask.leftPadded(new int[] {2}, 4);
        Tensor out;
        x.dropGrad();
        try (GradientTape tape = GradientTape.open()) {
            out = Ops.attention(x, x, x, 2, true, mask, mask, 0f, null);
            tape.backward(Ops.sum(Ops.square(out)));
        }
        assertThat(Arrays.copyOf(out.data(), 12)).containsOnly(0f);
        assertThat(Arrays.copyOf(x.grad(), 12)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(x.grad(), 12, 24)).isNotEqualTo(new float[12]);
    }

    @Test
    void aQueryThatSeesNoKeyGetsZerosNotNaN() {
        Tensor x = Tensor.full(1f, 2, 3, 2).requiresGrad(true);
        SequenceMask noKeys = SequenceMask.rightPadded(new int[] {0, 3}, 3);
        Tensor out;
        try (GradientTape tape = GradientTape.open()) {
            out = Ops.attention(x, x, x, 1, false, null, noKeys, 0f, null);
            tape.backward(Ops.sum(out));
        }
        assertThat(Arrays.copyOf(out.data(), 6)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(out.data(), 6, 12)).containsOnly(1f);
        for (float g : x.grad()) {
            assertThat(g).isFinite();
        }
    }

    @Test
    void dropoutKeepsOrDropsWholeWeightsAndScalesTheKeptOnes() {
        // Values are the identity, so each output row is the row of dropped-out weights itself.
        int keys = 16;
        Tensor q = RandomTensors.uniform(new Rng(1), 1, 8, 4);
        Tensor k = RandomTensors.uniform(new Rng(2), 1, keys, 4);
        Tensor identity = Tensor.zeros(1, keys, keys);
        for (int j = 0; j < keys; j++) {
            identity.data()[j * keys + j] = 1f;
        }
        Tensor weights = Ops.attention(q, k, identity, 1, false, null, null, 0f, null);
        Tensor dropped = Ops.attention(q, k, identity, 1, false, null, null, 0.5f, new Rng(9));
        int kept = 0;
        for (int i = 0; i < weights.size(); i++) {
            float d = dropped.data()[i];
            if (d != 0f) {
                assertThat(d).isCloseTo(2f * weights.data()[i], within(1e-6f));
                kept++;
            }
        }
        assertThat(kept).isBetween(40, 88);
        assertThat(Ops.attention(q, k, identity, 1, false, null, null, 0.5f, new Rng(9)).data())
                .containsExactly(dropped.data());
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
        Tensor q = RandomTensors.uniform(rng, 64, 45, 32);
        Tensor k = RandomTensors.uniform(rng, 64, 45, 32);
        Tensor v = RandomTensors.uniform(rng, 64, 45, 32);
        SequenceMask mask = RecurrentOpsTest.randomMask(rng, 64, 45);
        Tensor weights = RandomTensors.uniform(rng, 64, 45, 32).requiresGrad(false);
        return valueAndGradients(t -> Ops.attention(t.get(0), t.get(1), t.get(2), 4, true, mask, mask, 0.2f,
                new Rng(3)), List.of(q, k, v), weights);
    }

    @Test
    void namesTheShapesThatDoNotFit() {
        assertThatThrownBy(() -> Ops.attention(Tensor.zeros(2, 5, 6), Tensor.zeros(2, 4, 6), Tensor.zeros(2, 4, 6),
                4, false, null, null, 0f, null))
                .hasMessage("attention: query [2, 5, 6], key [2, 4, 6], value [2, 4, 6], 4 heads: expected query "
                        + "and key features of the same non-zero size, divisible by the number of heads");
        assertThatThrownBy(() -> Ops.attention(Tensor.zeros(2, 5, 6), Tensor.zeros(2, 4, 6), Tensor.zeros(2, 4, 6),
                2, true, null, null, 0f, null))
                .hasMessageEndingWith("a causal mask needs as many queries as keys");
        assertThatThrownBy(() -> Ops.attention(Tensor.zeros(2, 5, 6), Tensor.zeros(2, 4, 6), Tensor.zeros(2, 3, 6),
                2, false, null, null, 0f, null))
                .hasMessageEndingWith("expected a value for every key (the same time)");
        assertThatThrownBy(() -> Ops.attention(Tensor.zeros(2, 5, 6), Tensor.zeros(2, 4, 6), Tensor.zeros(2, 4, 6),
                2, false, null, SequenceMask.rightPadded(new int[] {1, 1}, 5), 0f, null))
                .hasMessage("attention (key mask): the mask covers 2 sequences of 5 steps, the input 2 sequences "
                        + "of 4 steps");
    }

    static List<float[]> valueAndGradients(Function<List<Tensor>, Tensor> f, List<Tensor> inputs,
                                           Tensor weights) {
        for (Tensor in : inputs) {
            in.dropGrad();
        }
        Tensor out;
        try (GradientTape tape = GradientTape.open()) {
            out = f.apply(inputs);
            tape.backward(Ops.sum(Ops.mul(out, weights)));
        }
        List<float[]> result = new ArrayList<>();
        result.add(out.data().clone());
        for (Tensor in : inputs) {
            result.add(in.grad().clone());
        }
        return result;
    }

    /** Per head: slices of columns, {@code softmax(Q K^T / sqrt(dk) + mask) V} with -1e9 where a key is hidden. */
    private static Tensor reference(Tensor q, Tensor k, Tensor v, int heads, boolean causal, SequenceMask keyMask) {
        int batch = q.dim(0);
        int tq = q.dim(1);
        int tk = k.dim(1);
        int dk = q.dim(2) / heads;
        int dv = v.dim(2) / heads;
        Tensor hidden = Tensor.zeros(batch, tq, tk);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tk; j++) {
                    if (!keyMask.isValid(b, j) || causal && j > i) {
                        hidden.data()[(b * tq + i) * tk + j] = -1e9f;
                    }
                }
            }
        }
        Tensor[] outputs = new Tensor[heads];
        for (int h = 0; h < heads; h++) {
            Tensor qh = Ops.slice(q, 2, h * dk, (h + 1) * dk);
            Tensor kh = Ops.slice(k, 2, h * dk, (h + 1) * dk);
            Tensor vh = Ops.slice(v, 2, h * dv, (h + 1) * dv);
            Tensor scores = Ops.scale(Ops.batchedMatmul(qh, kh, false, true), (float) (1 / Math.sqrt(dk)));
            outputs[h] = Ops.batchedMatmul(Ops.softmax(Ops.add(scores, hidden)), vh, false, false);
        }
        return Ops.concat(2, outputs);
    }
}
