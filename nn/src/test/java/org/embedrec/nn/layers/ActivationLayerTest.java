package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.junit.jupiter.api.Test;

class ActivationLayerTest {
    private final Tensor x = Tensor.of(new float[][] {{-1, 0, 2}, {3, -4, 0.5f}});

    @Test
    void eachLayerAppliesItsActivationElementWise() {
        assertThat(new ReLU().apply(x).data()).containsExactly(0, 0, 2, 3, 0, 0.5f);
        float[] sig = new Sigmoid().apply(x).data();
        float[] tanh = new Tanh().apply(x).data();
        for (int i = 0; i < sig.length; i++) {
            assertThat(sig[i]).isCloseTo((float) (1 / (1 + Math.exp(-x.data()[i]))), within(1e-6f));
            assertThat(tanh[i]).isCloseTo((float) Math.tanh(x.data()[i]), within(1e-6f));
        }
    }

    @Test
    void softmaxNormalisesEachRow() {
        Tensor y = new Softmax().apply(x);
        double z = Math.exp(-1) + Math.exp(0) + Math.exp(2);
        assertThat(y.get(0, 2)).isCloseTo((float) (Math.exp(2) / z), within(1e-6f));
        assertThat(y.get(1, 0) + y.get(1, 1) + y.get(1, 2)).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void layersAreNamedAfterTheirActivationAndHaveNoParameters() {
        assertThat(new ReLU().name()).isEqualTo("relu");
        assertThat(new Sigmoid().name()).isEqualTo("sigmoid");
        assertThat(new Tanh().name()).isEqualTo("tanh");
        assertThat(new Softmax("probabilities").name()).isEqualTo("probabilities");
        assertThat(new ActivationLayer(Activation.parse("relu")).activation()).isEqualTo(Activation.RELU);
        assertThat(new ActivationLayer(Activation.LINEAR).apply(x)).isSameAs(x);
        assertThat(new Softmax().parameters()).isEmpty();
    }
}
