package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fused recurrent ops: finite-difference gradient checks over random shapes and masks; values
 * and gradients equal (to float rounding) to the same recurrence written step by step with the
 * basic ops; padded steps that change nothing and receive nothing; a hand-computed case; one
 * result on one and two threads; errors naming the shapes.
 */
class RecurrentOpsTest {
    private final GradientCheck check = new GradientCheck();
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    enum Kind {
        GRU(3), LSTM(4), SIMPLE_RNN(1);

        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }

        Tensor fused(Tensor x, Tensor u, Tensor rb, SequenceMask mask, boolean sequences) {
            return switch (this) {
                case GRU -> Ops.gru(x, u, rb, mask, sequences);
                case LSTM -> Ops.lstm(x, u, rb, mask, sequences);
                case SIMPLE_RNN -> Ops.simpleRnn(x, u, rb, mask, sequences);
            };
        }
    }

    @Property(tries = 60)
    void gradientsMatchFiniteDifferences(@ForAll Kind kind, @ForAll @IntRange(min = 1, max = 3) int batch,
                                         @ForAll @IntRange(min = 1, max = 4) int time,
                                         @ForAll @IntRange(min = 1, max = 3) int units,
                                         @ForAll boolean sequences, @ForAll boolean withBias,
                                         @ForAll boolean masked, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, batch, time, kind.gates * units);
        Tensor u = RandomTensors.uniform(rng, units, kind.gates * units);
        Tensor rb = RandomTensors.uniform(rng, kind.gates * units);
        SequenceMask mask = masked ? randomMask(rng, batch, time) : null;
        List<Tensor> in = withBias ? List.of(x, u, rb) : List.of(x, u);
        check.check(t -> kind.fused(t.get(0), t.get(1), withBias ? t.get(2) : null, mask, sequences), in, seed);
    }

    @Property(tries = 40)
    void equalsTheStepByStepRecurrenceInValuesAndGradients(@ForAll Kind kind,
                                                            @ForAll @IntRange(min = 1, max = 4) int batch,
                                                            @ForAll @IntRange(min = 1, max = 5) int time,
                                                            @ForAll @IntRange(min = 1, max = 6) int units,
                                                            @ForAll boolean sequences, @ForAll boolean masked,
                                                            @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, -2f, 2f, batch, time, kind.gates * units);
        Tensor u = RandomTensors.uniform(rng, units, kind.gates * units);
        Tensor rb = RandomTensors.uniform(rng, kind.gates * units);
        SequenceMask mask = masked ? randomMask(rng, batch, time) : null;
        Tensor weights = RandomTensors.uniform(rng, sequences ? new int[] {batch, time, units} : new int[] {batch, units})
                .requiresGrad(false);
        List<float[]> fused = valueAndGradients(t -> kind.fused(t.get(0), t.get(1), t.get(2), mask, sequences),
                List.of(x, u, rb), weights);
        List<float[]> reference = valueAndGradients(t -> stepByStep(kind, t.get(0), t.get(1), t.get(2), mask, sequences),
                List.of(x, u, rb), weights);
        for (int i = 0; i < fused.size(); i++) {
            assertThat(fused.get(i)).as("%s array %d", kind, i).containsExactly(reference.get(i), within(2e-5f));
        }
    }

    @Test
    void aLeftPaddedSequenceEndsInTheStateOfItsRealStepsAlone() {
        Rng rng = new Rng(3);
        for (Kind kind : Kind.values()) {
            int units = 5;
            int width = kind.gates * units;
            Tensor u = RandomTensors.uniform(rng, units, width);
            Tensor rb = RandomTensors.uniform(rng, width);
            Tensor real = RandomTensors.uniform(rng, 1, 3, width);
            // Two padded steps of arbitrary values before the same three real steps.
            Tensor padded = RandomTensors.uniform(rng, 1, 5, width);
            System.arraycopy(real.data(), 0, padded.data(), 2 * width, 3 * width);
            SequenceMask mask = SequenceMask.leftPadded(new int[] {3}, 5);
            Tensor expected = kind.fused(real, u, rb, null, false);
            assertThat(kind.fused(padded, u, rb, mask, false).data()).as(kind.name()).containsExactly(expected.data());
            Tensor steps = kind.fused(padded, u, rb, mask, true);
            assertThat(java.util.Arrays.copyOf(steps.data(), 2 * units)).as(kind.name()).containsOnly(0f);
            assertThat(java.util.Arrays.copyOfRange(steps.data(), 2 * units, 5 * units)).as(kind.name())
                    .containsExactly(kind.fused(real, u, rb, null, true).data());
        }
    }

    @Test
    void paddedStepsCarryTheStateAndReceiveNoGradient() {
        Rng rng = new Rng(4);
        for (Kind kind : Kind.values()) {
            int units = 4;
            int width = kind.gates * units;
            Tensor x = RandomTensors.uniform(rng, 2, 6, width);
            Tensor u = RandomTensors.uniform(rng, units, width);
            // Sequence 0 has a hole at step 2 and padding at the end; sequence 1 is full.
            boolean[] flags = {true, true, false, true, false, false, true, true, true, true, true, true};
            SequenceMask mask = SequenceMask.of(flags, 2, 6);
            Tensor last;
            try (GradientTape tape = GradientTape.open()) {
                last = kind.fused(x, u, null, mask, false);
                tape.backward(Ops.sum(last));
            }
            for (int t = 0; t < 6; t++) {
                float[] g = java.util.Arrays.copyOfRange(x.grad(), t * width, (t + 1) * width);
                if (flags[t]) {
                    assertThat(g).as("%s step %d", kind, t).isNotEqualTo(new float[width]);
                } else {
                    assertThat(g).as("%s padded step %d", kind, t).containsOnly(0f);
                }
            }
            // Skipping the hole is the same as a sequence without it.
            Tensor compact = Tensor.zeros(1, 3, width);
            System.arraycopy(x.data(), 0, compact.data(), 0, 2 * width);
            System.arraycopy(x.data(), 3 * width, compact.data(), 2 * width, width);
            assertThat(java.util.Arrays.copyOf(last.data(), units)).as(kind.name())
                    .containsExactly(kind.fused(compact, u, null, null, false).data());
        }
    }

    @Test
    void aSimpleRnnOfOneUnitByHand() {
        // h1 = tanh(0.5), h2 = tanh(-0.25 + 2 h1 + 0.1)
        Tensor x = Tensor.of(new float[] {0.5f, -0.25f}, 1, 2, 1);
        Tensor u = Tensor.of(new float[] {2f}, 1, 1);
        Tensor rb = Tensor.of(new float[] {0.1f}, 1);
        double h1 = Math.tanh(0.5 + 0.1);
        double h2 = Math.tanh(-0.25 + 2 * h1 + 0.1);
        Tensor steps = Ops.simpleRnn(x, u, rb, null, true);
        assertThat(steps.shape()).containsExactly(1, 2, 1);
        assertThat(steps.data()[0]).isCloseTo((float) h1, within(1e-6f));
        assertThat(steps.data()[1]).isCloseTo((float) h2, within(1e-6f));
        assertThat(Ops.simpleRnn(x, u, rb, null, false).data()).containsExactly(steps.data()[1]);
    }

    @Test
    void aGruWithClosedUpdateGateKeepsItsStateAndWithOpenGateTakesTheCandidate() {
        // One unit; z's pre-activation is +-30 (sigmoid 1 or 0 in float), r's is 0, n's is x_n.
        Tensor u = Tensor.zeros(1, 3);
        Tensor open = Tensor.of(new float[] {-30f, 0f, 0.7f, -30f, 0f, -0.2f}, 1, 2, 3);
        assertThat(Ops.gru(open, u, null, null, false).data()[0]).isCloseTo((float) Math.tanh(-0.2), within(1e-6f));
        Tensor closed = Tensor.of(new float[] {-30f, 0f, 0.7f, 30f, 0f, -0.2f}, 1, 2, 3);
        assertThat(Ops.gru(closed, u, null, null, false).data()[0]).isCloseTo((float) Math.tanh(0.7), within(1e-6f));
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        for (Kind kind : Kind.values()) {
            Parallel.setThreads(1);
            List<float[]> one = bigRun(kind);
            Parallel.setThreads(2);
            List<float[]> two = bigRun(kind);
            for (int i = 0; i < one.size(); i++) {
                assertThat(two.get(i)).as("%s array %d", kind, i).containsExactly(one.get(i));
            }
        }
    }

    /**
     * Enough sequences for three chunks of the gate loop, and only three steps: until the JIT has
     * compiled them the SIMD kernels run interpreted, very slowly, so the volume is kept small.
     */
    private static List<float[]> bigRun(Kind kind) {
        Rng rng = new Rng(21);
        int units = 16;
        int time = 3;
        int width = kind.gates * units;
        int batch = 2 * (RecurrentOps.GRAIN_ELEMENTS / width) + 1;
        Tensor x = RandomTensors.uniform(rng, batch, time, width);
        Tensor u = RandomTensors.uniform(rng, -0.5f, 0.5f, units, width);
        Tensor rb = RandomTensors.uniform(rng, width);
        SequenceMask mask = randomMask(rng, batch, time);
        Tensor weights = RandomTensors.uniform(rng, batch, time, units).requiresGrad(false);
        return valueAndGradients(t -> kind.fused(t.get(0), t.get(1), t.get(2), mask, true), List.of(x, u, rb), weights);
    }

    @Test
    void namesTheShapesThatDoNotFit() {
        assertThatThrownBy(() -> Ops.gru(Tensor.zeros(2, 5, 12), Tensor.zeros(4, 8), null, null, true))
                .hasMessage("gru: inputs [2, 5, 12], recurrent kernel [4, 8]: expected a recurrent kernel "
                        + "[units, 3 * units]");
        assertThatThrownBy(() -> Ops.lstm(Tensor.zeros(2, 5, 12), Tensor.zeros(4, 16), null, null, true))
                .hasMessage("lstm: inputs [2, 5, 12], recurrent kernel [4, 16]: expected inputs [batch, time, 16] "
                        + "(4 * 4 units: the input pre-activations of every step)");
        assertThatThrownBy(() -> Ops.simpleRnn(Tensor.zeros(2, 5, 4), Tensor.zeros(4, 4), Tensor.zeros(3), null, true))
                .hasMessage("simpleRnn: inputs [2, 5, 4], recurrent kernel [4, 4], recurrent bias [3]: "
                        + "expected a recurrent bias [4]");
        SequenceMask mask = SequenceMask.rightPadded(new int[] {1, 2, 3}, 5);
        assertThatThrownBy(() -> Ops.simpleRnn(Tensor.zeros(2, 5, 4), Tensor.zeros(4, 4), null, mask, true))
                .hasMessage("simpleRnn: the mask covers 3 sequences of 5 steps, the input 2 sequences of 5 steps");
    }

    static SequenceMask randomMask(Rng rng, int batch, int time) {
        boolean[] flags = new boolean[batch * time];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = rng.nextInt(3) > 0;
        }
        return SequenceMask.of(flags, batch, time);
    }

    /** The output, then the gradients of {@code sum(f(inputs) * weights)} for each input. */
    private static List<float[]> valueAndGradients(Function<List<Tensor>, Tensor> f, List<Tensor> inputs,
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

    /**
     * The same recurrence from the basic ops, one step at a time: the definition the fused op is
     * held to. A padded step keeps the state: {@code h = m h_new + (1 - m) h} with a 0/1 column m.
     */
    static Tensor stepByStep(Kind kind, Tensor x, Tensor u, Tensor rb, SequenceMask mask, boolean sequences) {
        int batch = x.dim(0);
        int time = x.dim(1);
        int units = u.dim(0);
        Tensor h = Tensor.zeros(batch, units);
        Tensor c = Tensor.zeros(batch, units);
        List<Tensor> outputs = new ArrayList<>();
        for (int t = 0; t < time; t++) {
            Tensor xt = Ops.reshape(Ops.slice(x, 1, t, t + 1), batch, kind.gates * units);
            Tensor rec = Ops.add(Ops.matmul(h, u), rb);
            Tensor next;
            Tensor nextC = c;
            switch (kind) {
                case GRU -> {
                    Tensor z = Ops.sigmoid(Ops.add(Ops.slice(xt, 1, 0, units), Ops.slice(rec, 1, 0, units)));
                    Tensor r = Ops.sigmoid(Ops.add(Ops.slice(xt, 1, units, 2 * units),
                            Ops.slice(rec, 1, units, 2 * units)));
                    Tensor n = Ops.tanh(Ops.add(Ops.slice(xt, 1, 2 * units, 3 * units),
                            Ops.mul(r, Ops.slice(rec, 1, 2 * units, 3 * units))));
                    next = Ops.add(Ops.mul(z, h), Ops.mul(Ops.addScalar(Ops.scale(z, -1f), 1f), n));
                }
                case LSTM -> {
                    Tensor a = Ops.add(xt, rec);
                    Tensor i = Ops.sigmoid(Ops.slice(a, 1, 0, units));
                    Tensor f = Ops.sigmoid(Ops.slice(a, 1, units, 2 * units));
                    Tensor g = Ops.tanh(Ops.slice(a, 1, 2 * units, 3 * units));
                    Tensor o = Ops.sigmoid(Ops.slice(a, 1, 3 * units, 4 * units));
                    nextC = Ops.add(Ops.mul(f, c), Ops.mul(i, g));
                    next = Ops.mul(o, Ops.tanh(nextC));
                }
                default -> next = Ops.tanh(Ops.add(xt, rec));
            }
            if (mask != null) {
                Tensor m = Tensor.zeros(batch, 1);
                for (int b = 0; b < batch; b++) {
                    m.data()[b] = mask.isValid(b, t) ? 1f : 0f;
                }
                Tensor keep = Ops.addScalar(Ops.scale(m, -1f), 1f);
                next = Ops.add(Ops.mul(next, m), Ops.mul(h, keep));
                nextC = Ops.add(Ops.mul(nextC, m), Ops.mul(c, keep));
                outputs.add(Ops.mul(next, m));
            } else {
                outputs.add(next);
            }
            h = next;
            c = nextC;
        }
        if (!sequences) {
            return h;
        }
        Tensor[] steps = new Tensor[time];
        for (int t = 0; t < time; t++) {
            steps[t] = Ops.reshape(outputs.get(t), batch, 1, units);
        }
        return Ops.concat(1, steps);
    }
}
