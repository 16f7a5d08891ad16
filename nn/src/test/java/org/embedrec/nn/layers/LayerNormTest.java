package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class LayerNormTest {

    @Test
    void matchesTheFormulaOnAHandComputedRow() {
        Tensor y = new LayerNorm(3).apply(Tensor.of(new float[][] {{1, 2, 3}}));
        // mean 2, biased variance 2/3.
        double s = Math.sqrt(2.0 / 3.0 + 1e-3);
        assertThat(y.data()).containsExactly(new float[] {(float) (-1 / s), 0f, (float) (1 / s)}, within(1e-6f));
    }

    @Test
    void everyRowComesOutWithMeanZeroAndVarianceOne() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.zeros(3, 4, 16);
        TestTensors.fill(x, rng, -5f, 20f);
        Tensor y = new LayerNorm(16).apply(x);
        assertThat(y.shape()).containsExactly(3, 4, 16);
        float[] d = y.data();
        for (int r = 0; r < 12; r++) {
            float[] row = Arrays.copyOfRange(d, r * 16, (r + 1) * 16);
            assertThat(mean(row)).as("row %d mean", r).isCloseTo(0.0, within(1e-5));
            assertThat(variance(row)).as("row %d variance", r).isCloseTo(1.0, within(1e-3));
        }
    }

    @Test
    void scalesByGammaAndShiftsByBeta() {
        LayerNorm norm = new LayerNorm("ln", 8, 1e-5);
        Arrays.fill(norm.gamma().value().data(), 2f);
        Arrays.fill(norm.beta().value().data(), 1f);
        Tensor x = Tensor.zeros(5, 8);
        TestTensors.fill(x, new Rng(2), -1f, 1f);
        float[] d = norm.apply(x).data();
        for (int r = 0; r < 5; r++) {
            float[] row = Arrays.copyOfRange(d, r * 8, (r + 1) * 8);
            assertThat(mean(row)).isCloseTo(1.0, within(1e-5));
            assertThat(variance(row)).isCloseTo(4.0, within(1e-2));
        }
    }

    @Test
    void hasGammaOnesAndBetaZerosAndKerasEpsilon() {
        LayerNorm norm = new LayerNorm(4);
        assertThat(norm.name()).isEqualTo("layer_norm");
        assertThat(norm.namedParameters()).containsOnlyKeys("gamma", "beta");
        assertThat(norm.gamma().value().data()).containsOnly(1f);
        assertThat(norm.beta().value().data()).containsOnly(0f);
        assertThat(norm.epsilon()).isEqualTo(1e-3f);
    }

    @Test
    void rejectsAWrongLastDimensionAndBadSettings() {
        assertThatThrownBy(() -> new LayerNorm(4).apply(Tensor.zeros(2, 5)))
                .hasMessage("layer_norm 'layer_norm': expected input [..., 4], got [2, 5]");
        assertThatThrownBy(() -> new LayerNorm(0)).hasMessage("layer_norm 'layer_norm': dim must be positive, got 0");
        assertThatThrownBy(() -> new LayerNorm(3, 0))
                .hasMessage("layer_norm 'layer_norm': epsilon must be positive and finite, got 0.0");
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double variance(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }
}
