package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class CrossNetworkTest {

    @Test
    void feedsTheInputToEveryLayerAsX0() {
        CrossNetwork net = new CrossNetwork(3, 3, 0, true, new Rng(1));
        Tensor x0 = TestTensors.random(new Rng(2), 4, 3);
        List<Cross> layers = net.layers();
        Tensor expected = layers.get(2).apply(x0, layers.get(1).apply(x0, layers.get(0).apply(x0, x0)));
        assertThat(net.apply(x0).data()).containsExactly(expected.data());
        assertThat(net.apply(x0).shape()).containsExactly(4, 3);
    }

    @Test
    void itsLayersAreChildrenWithStablePaths() {
        CrossNetwork full = new CrossNetwork(4, 3, 0, true, new Rng(1));
        assertThat(full.namedParameters().keySet()).containsExactly(
                "cross/dense/kernel", "cross/dense/bias", "cross_1/dense/kernel", "cross_1/dense/bias",
                "cross_2/dense/kernel", "cross_2/dense/bias");
        assertThat(full.parameterCount()).isEqualTo(3 * (4 * 4 + 4));

        CrossNetwork low = new CrossNetwork(6, 2, 2, false, new Rng(1));
        assertThat(low.namedParameters().keySet()).containsExactly(
                "cross/dense_u/kernel", "cross/dense_v/kernel", "cross_1/dense_u/kernel", "cross_1/dense_v/kernel");
        assertThat(low.parameterCount()).isEqualTo(2 * (2 * 6 * 2));
        for (Cross c : low.layers()) {
            assertThat(c.projectionDim()).isEqualTo(2);
            assertThat(c.useBias()).isFalse();
        }
    }

    @Test
    void trainingModeReachesTheCrossLayers() {
        CrossNetwork net = new CrossNetwork(2, 2, 0, true, new Rng(1));
        net.setTraining(false);
        assertThat(net.layers()).allSatisfy(c -> assertThat(c.isTraining()).isFalse());
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        GradientCheck check = new GradientCheck();
        long seed = 20;
        for (int projectionDim : new int[] {0, 2}) {
            for (boolean useBias : new boolean[] {true, false}) {
                Rng rng = new Rng(seed++);
                CrossNetwork net = new CrossNetwork(3, 2, projectionDim, useBias, rng);
                List<Tensor> inputs = new ArrayList<>(List.of(TestTensors.random(rng, 2, 3)));
                for (Parameter p : net.parameters()) {
                    inputs.add(p.value());
                }
                check.check(in -> net.apply(in.get(0)), inputs, seed);
            }
        }
    }

    @Test
    void rejectsBadArgumentsAndInputs() {
        assertThatThrownBy(() -> new CrossNetwork(0, 2, 0, true, new Rng(1)))
                .hasMessage("cross_network 'cross_network': inputDim must be positive, got 0");
        assertThatThrownBy(() -> new CrossNetwork("dcn", 4, 0, 0, true, new Rng(1)))
                .hasMessage("cross_network 'dcn': numLayers must be positive, got 0");
        assertThatThrownBy(() -> new CrossNetwork(4, 2, -1, true, new Rng(1)))
                .hasMessage("cross_network 'cross_network': projectionDim must be positive, or 0 for full-rank "
                        + "kernels, got -1");
        assertThatThrownBy(() -> new CrossNetwork(4, 2, 0, true, null))
                .hasMessage("cross_network 'cross_network': rng must not be null");
        assertThatThrownBy(() -> new CrossNetwork(4, 2, 0, true, new Rng(1)).apply(Tensor.zeros(2, 5)))
                .hasMessage("cross_network 'cross_network': expected input [..., 4], got [2, 5]");
    }
}
