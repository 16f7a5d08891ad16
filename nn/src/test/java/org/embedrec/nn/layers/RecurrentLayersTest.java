package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * GRU, LSTM and SimpleRNN as layers: the last state or every state, gradients through the input and
 * every parameter, padding that changes nothing, Keras's parameter names and initial values, and
 * errors that name the layer and the shapes.
 */
class RecurrentLayersTest {
    private final GradientCheck check = new GradientCheck();

    enum Kind {
        GRU, LSTM, SIMPLE_RNN;

        RecurrentLayer build(int inputDim, int units, boolean sequences, Rng rng) {
            return switch (this) {
                case GRU -> org.embedrec.nn.layers.GRU.builder(inputDim, units).returnSequences(sequences).build(rng);
                case LSTM -> org.embedrec.nn.layers.LSTM.builder(inputDim, units).returnSequences(sequences).build(rng);
                case SIMPLE_RNN -> SimpleRNN.builder(inputDim, units).returnSequences(sequences).build(rng);
            };
        }
    }

    @Property(tries = 30)
    void gradientsReachTheInputAndEveryParameter(@ForAll Kind kind, @ForAll @IntRange(min = 1, max = 3) int batch,
                                                 @ForAll @IntRange(min = 1, max = 4) int time,
                                                 @ForAll @IntRange(min = 1, max = 3) int inputDim,
                                                 @ForAll @IntRange(min = 1, max = 3) int units,
                                                 @ForAll boolean sequences, @ForAll long seed) {
        Rng rng = new Rng(seed);
        RecurrentLayer layer = kind.build(inputDim, units, sequences, rng);
        // Non-zero biases, so that their gradients are checked where they matter.
        for (Parameter p : layer.parameters()) {
            TestTensors.fill(p.value(), rng, -0.8f, 0.8f);
        }
        Tensor x = TestTensors.random(rng, batch, time, inputDim);
        SequenceMask mask = SequenceMask.leftPadded(lengths(rng, batch, time), time);
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x);
        for (Parameter p : layer.parameters()) {
            inputs.add(p.value());
        }
        check.check(in -> layer.apply(in.get(0), mask), inputs, seed);
    }

    @Test
    void returnsTheLastStateOrEveryState() {
        Rng rng = new Rng(1);
        for (Kind kind : Kind.values()) {
            Tensor x = TestTensors.random(rng, 4, 6, 3);
            RecurrentLayer last = kind.build(3, 5, false, new Rng(2));
            RecurrentLayer all = kind.build(3, 5, true, new Rng(2));
            Tensor state = last.apply(x);
            Tensor states = all.apply(x);
            assertThat(state.shape()).containsExactly(4, 5);
            assertThat(states.shape()).containsExactly(4, 6, 5);
            for (int b = 0; b < 4; b++) {
                assertThat(Arrays.copyOfRange(states.data(), (b * 6 + 5) * 5, (b * 6 + 6) * 5))
                        .containsExactly(Arrays.copyOfRange(state.data(), b * 5, b * 5 + 5));
            }
        }
    }

    @Test
    void paddingAtEitherEndGivesTheStateOfTheRealStepsAlone() {
        Rng rng = new Rng(3);
        for (Kind kind : Kind.values()) {
            RecurrentLayer layer = kind.build(2, 4, false, rng);
            Tensor real = TestTensors.random(rng, 1, 3, 2);
            Tensor left = TestTensors.random(rng, 1, 5, 2);
            Tensor right = TestTensors.random(rng, 1, 5, 2);
            System.arraycopy(real.data(), 0, left.data(), 4, 6);
            System.arraycopy(real.data(), 0, right.data(), 0, 6);
            float[] expected = layer.apply(real).data();
            assertThat(layer.apply(left, SequenceMask.leftPadded(new int[] {3}, 5)).data())
                    .as(kind.name()).containsExactly(expected);
            assertThat(layer.apply(right, SequenceMask.rightPadded(new int[] {3}, 5)).data())
                    .as(kind.name()).containsExactly(expected);
        }
    }

    @Test
    void hasKerasParametersAndInitialValues() {
        Rng rng = new Rng(4);
        GRU gru = new GRU(6, 8, rng);
        assertThat(gru.namedParameters()).containsOnlyKeys("kernel", "recurrent_kernel", "bias", "recurrent_bias");
        assertThat(gru.kernel().shape()).containsExactly(6, 24);
        assertThat(gru.recurrentKernel().shape()).containsExactly(8, 24);
        assertThat(gru.returnSequences()).isFalse();
        assertThat(gru.name()).isEqualTo("gru");

        LSTM lstm = LSTM.builder(6, 8).name("encoder").build(rng);
        assertThat(lstm.namedParameters()).containsOnlyKeys("kernel", "recurrent_kernel", "bias");
        assertThat(lstm.name()).isEqualTo("encoder");
        float[] bias = lstm.bias().value().data();
        assertThat(Arrays.copyOfRange(bias, 0, 8)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(bias, 8, 16)).as("forget gate").containsOnly(1f);
        assertThat(Arrays.copyOfRange(bias, 16, 32)).containsOnly(0f);

        // The recurrent kernel [units, gates * units] has orthonormal rows.
        float[] u = lstm.recurrentKernel().value().data();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double dot = 0;
                for (int k = 0; k < 32; k++) {
                    dot += (double) u[i * 32 + k] * u[j * 32 + k];
                }
                assertThat(dot).as("row %d . row %d", i, j).isCloseTo(i == j ? 1.0 : 0.0, within(1e-5));
            }
        }
        assertThat(new SimpleRNN(3, 2, rng).namedParameters()).containsOnlyKeys("kernel", "recurrent_kernel", "bias");
    }

    @Test
    void namesTheLayerAndTheShapesThatDoNotFit() {
        GRU gru = GRU.builder(6, 8).name("session").build(new Rng(1));
        assertThatThrownBy(() -> gru.apply(Tensor.zeros(4, 6)))
                .hasMessage("gru 'session': expected sequences [batch, time, 6], got [4, 6]");
        assertThatThrownBy(() -> gru.apply(Tensor.zeros(4, 3, 6), SequenceMask.leftPadded(new int[] {1, 2}, 3)))
                .hasMessage("gru 'session': the mask covers 2 sequences of 3 steps, the input 4 sequences of 3 steps");
        assertThatThrownBy(() -> new LSTM(0, 8, new Rng(1)))
                .hasMessage("lstm 'lstm': inputDim must be positive, got 0");
    }

    static int[] lengths(Rng rng, int batch, int time) {
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = rng.nextInt(time + 1);
        }
        return lengths;
    }
}
