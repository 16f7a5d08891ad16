package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class SequentialTest {

    private static Sequential tower(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential("tower",
                new Embedding(50, 4, rng),
                new Flatten(),
                new Dense(8, 6, Activation.RELU, rng),
                new Dropout(0.2, rng),
                new Dense(6, 3, rng),
                new LayerNorm(3));
    }

    @Test
    void parametersAreNamedByPathWithSuffixesForRepeatedNames() {
        assertThat(tower(1).namedParameters()).containsOnlyKeys(
                "embedding/embeddings", "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias",
                "layer_norm/gamma", "layer_norm/beta");
        assertThat(tower(1).namedParameters().keySet()).containsExactly(
                "embedding/embeddings", "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias",
                "layer_norm/gamma", "layer_norm/beta");
        assertThat(tower(1).parameterCount()).isEqualTo(50 * 4 + 8 * 6 + 6 + 6 * 3 + 3 + 3 + 3);
    }

    @Test
    void appliesItsLayersInOrder() {
        Rng rng = new Rng(2);
        Dense first = new Dense(3, 4, Activation.TANH, rng);
        Dense second = new Dense(4, 2, rng);
        Sequential stack = new Sequential(first).add(new Sigmoid()).add(second);
        Tensor x = TestTensors.random(new Rng(3), 5, 3);

        Tensor expected = second.apply(Activation.SIGMOID.apply(first.apply(x)));

        assertThat(stack.name()).isEqualTo("sequential");
        assertThat(stack.layers()).hasSize(3);
        assertThat(stack.apply(x).data()).containsExactly(expected.data());
    }

    @Test
    void anEmptyStackIsTheIdentity() {
        Tensor x = Tensor.zeros(2, 2);
        assertThat(new Sequential().apply(x)).isSameAs(x);
    }

    @Test
    void trainingModeReachesEveryLayerIncludingNestedAndLaterOnes() {
        Sequential inner = new Sequential("inner", new Dropout(0.5, new Rng(1)));
        Sequential outer = new Sequential("outer", new Dense(2, 2, new Rng(2)), inner);
        assertThat(outer.isTraining()).isTrue();

        outer.setTraining(false);
        assertThat(inner.isTraining()).isFalse();
        assertThat(inner.layers().get(0).isTraining()).isFalse();
        Dropout late = new Dropout(0.5, new Rng(3));
        outer.add(late);
        assertThat(late.isTraining()).isFalse();

        outer.setTraining(true);
        for (Layer layer : outer.layers()) {
            assertThat(layer.isTraining()).isTrue();
        }
        assertThat(inner.layers().get(0).isTraining()).isTrue();
    }

    @Test
    void theSameSeedGivesTheSameInitialWeightsAndAnotherSeedDoesNot() {
        Map<String, Parameter> a = tower(42).namedParameters();
        Map<String, Parameter> b = tower(42).namedParameters();
        Map<String, Parameter> c = tower(43).namedParameters();
        for (String path : a.keySet()) {
            assertThat(b.get(path).value().data()).as(path).containsExactly(a.get(path).value().data());
        }
        assertThat(c.get("dense/kernel").value().data()).isNotEqualTo(a.get("dense/kernel").value().data());
        assertThat(c.get("embedding/embeddings").value().data())
                .isNotEqualTo(a.get("embedding/embeddings").value().data());
    }

    @Test
    void rejectsRepeatedLayers() {
        // Merge layers are not Layers, so the compiler already keeps them out of a stack.
        Sequential stack = new Sequential("mlp");
        Dense dense = new Dense(2, 2, new Rng(1));
        stack.add(dense);
        assertThatThrownBy(() -> stack.add(dense)).hasMessage("sequential 'mlp': layer 'dense' is already in the stack");
        assertThatThrownBy(() -> stack.add(null)).hasMessage("sequential 'mlp': layer must not be null");
    }

    @Test
    void aShapeErrorInsideTheStackNamesTheLayer() {
        Sequential stack = new Sequential(new Dense(4, 3, new Rng(1)), new Dense(4, 2, new Rng(2)));
        assertThatThrownBy(() -> stack.apply(Tensor.zeros(2, 4)))
                .hasMessage("dense 'dense': expected input [..., 4], got [2, 3]");
    }
}
