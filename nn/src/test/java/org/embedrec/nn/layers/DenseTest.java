package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Initializer;
import org.junit.jupiter.api.Test;

class DenseTest {

    private static Dense handSet(Activation activation) {
        Dense dense = Dense.builder(3, 2).activation(activation).build(new Rng(1));
        System.arraycopy(new float[] {.1f, .2f, .3f, .4f, .5f, .6f}, 0, dense.kernel().value().data(), 0, 6);
        System.arraycopy(new float[] {1f, -3f}, 0, dense.bias().orElseThrow().value().data(), 0, 2);
        return dense;
    }

    @Test
    void computesInputTimesKernelPlusBias() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor y = handSet(Activation.LINEAR).apply(x);
        // [1 2 3] . columns [.1 .3 .5] and [.2 .4 .6] = 2.2 and 2.8; then + [1, -3].
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.data()).containsExactly(new float[] {3.2f, -0.2f, 5.9f, 3.4f}, within(1e-5f));
    }

    @Test
    void appliesItsActivationAfterTheBias() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor y = handSet(Activation.RELU).apply(x);
        assertThat(y.data()).containsExactly(new float[] {3.2f, 0f, 5.9f, 3.4f}, within(1e-5f));
    }

    @Test
    void mapsEveryVectorOfARank3InputAndKeepsLeadingDimensions() {
        Dense dense = new Dense(4, 3, Activation.TANH, new Rng(7));
        Tensor x = TestTensors.random(new Rng(8), 2, 5, 4);
        Tensor y = dense.apply(x);
        assertThat(y.shape()).containsExactly(2, 5, 3);
        Tensor rows = dense.apply(Tensor.wrap(x.data(), 10, 4));
        assertThat(y.data()).containsExactly(rows.data());
    }

    @Test
    void mapsASingleVector() {
        Dense dense = handSet(Activation.LINEAR);
        Tensor y = dense.apply(Tensor.of(new float[] {1, 2, 3}, 3));
        assertThat(y.shape()).containsExactly(2);
        assertThat(y.data()).containsExactly(new float[] {3.2f, -0.2f}, within(1e-5f));
    }

    @Test
    void namesTheExpectedAndActualShapesWhenTheInputDoesNotFit() {
        Dense dense = new Dense(96, 8, new Rng(1));
        assertThatThrownBy(() -> dense.apply(Tensor.zeros(32, 64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dense 'dense': expected input [..., 96], got [32, 64]");
        Dense named = Dense.builder(96, 8).name("user_tower").build(new Rng(1));
        assertThatThrownBy(() -> named.apply(Tensor.scalar(1f)))
                .hasMessage("dense 'user_tower': expected input [..., 96], got []");
    }

    @Test
    void rejectsNonPositiveSizesNamingTheField() {
        assertThatThrownBy(() -> new Dense(4, 0, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dense 'dense': units must be positive, got 0");
        assertThatThrownBy(() -> Dense.builder(-1, 3).name("head").build(new Rng(1)))
                .hasMessage("dense 'head': inputDim must be positive, got -1");
        assertThatThrownBy(() -> new Dense(4, 3, null, new Rng(1)))
                .hasMessage("dense 'dense': activation must not be null");
    }

    @Test
    void hasAGlorotKernelAndAZeroBiasNamedLikeKeras() {
        Dense dense = new Dense(20, 30, new Rng(3));
        assertThat(dense.namedParameters()).containsOnlyKeys("kernel", "bias");
        assertThat(dense.kernel().shape()).containsExactly(20, 30);
        assertThat(dense.bias().orElseThrow().shape()).containsExactly(30);
        float limit = (float) Math.sqrt(6.0 / (20 + 30));
        float max = 0f;
        for (float w : dense.kernel().value().data()) {
            max = Math.max(max, Math.abs(w));
        }
        assertThat(max).isLessThanOrEqualTo(limit).isGreaterThan(0.8f * limit);
        assertThat(dense.bias().orElseThrow().value().data()).containsOnly(0f);
        assertThat(dense.parameterCount()).isEqualTo(20 * 30 + 30);
    }

    @Test
    void canLeaveOutTheBias() {
        Dense dense = Dense.builder(3, 2).useBias(false).kernelInitializer(Initializer.constant(1f)).build(new Rng(1));
        assertThat(dense.bias()).isEmpty();
        assertThat(dense.namedParameters()).containsOnlyKeys("kernel");
        assertThat(dense.apply(Tensor.of(new float[][] {{1, 2, 3}})).data()).containsExactly(6f, 6f);
    }

    @Test
    void reluAndLinearLayersAreOneOpOnTheTape() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}});
        try (GradientTape tape = GradientTape.open()) {
            handSet(Activation.RELU).apply(x);
            assertThat(tape.size()).isEqualTo(1);
            handSet(Activation.LINEAR).apply(x);
            assertThat(tape.size()).isEqualTo(2);
            // Other activations follow the fused affine op as an op of their own.
            handSet(Activation.TANH).apply(x);
            assertThat(tape.size()).isEqualTo(4);
        }
    }

    @Test
    void backwardReachesKernelAndBias() {
        Dense dense = handSet(Activation.LINEAR);
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(dense.apply(x)));
        }
        // d sum / d W[i][j] = sum over rows of x[r][i]; d sum / d b[j] = number of rows.
        assertThat(dense.kernel().value().grad()).containsExactly(5f, 5f, 7f, 7f, 9f, 9f);
        assertThat(dense.bias().orElseThrow().value().grad()).containsExactly(2f, 2f);
    }
}
