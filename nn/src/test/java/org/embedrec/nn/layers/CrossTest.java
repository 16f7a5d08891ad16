package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class CrossTest {
    /** Two rows of x0 and x, d = 2. */
    private static final Tensor X0 = Tensor.of(new float[][] {{1, 2}, {-1, 0.5f}});
    private static final Tensor X = Tensor.of(new float[][] {{3, -1}, {2, 2}});

    private static void set(Cross cross, String path, float... values) {
        float[] d = cross.namedParameters().get(path).value().data();
        assertThat(values).hasSameSizeAs(d);
        System.arraycopy(values, 0, d, 0, values.length);
    }

    /** Kernel K = [[1, 2], [3, 4]] (rows are inputs, so x K = W x with W = K^T), bias [0.5, -1]. */
    private static Cross handSetFullRank(Cross.Builder builder) {
        Cross cross = builder.build(new Rng(1));
        set(cross, "dense/kernel", 1, 2, 3, 4);
        if (cross.useBias()) {
            set(cross, "dense/bias", 0.5f, -1);
        }
        return cross;
    }

    @Test
    void fullRankComputesX0TimesTheAffineMapOfXPlusX() {
        Tensor y = handSetFullRank(Cross.builder(2)).apply(X0, X);
        // Row 0: x K = [3 - 3, 6 - 4] = [0, 2]; + b = [0.5, 1]; * x0 = [0.5, 2]; + x = [3.5, 1].
        // Row 1: x K = [2 + 6, 4 + 8] = [8, 12]; + b = [8.5, 11]; * x0 = [-8.5, 5.5]; + x = [-6.5, 7.5].
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.data()).containsExactly(3.5f, 1f, -6.5f, 7.5f);
    }

    @Test
    void withoutBiasTheAffineMapIsLinear() {
        Tensor y = handSetFullRank(Cross.builder(2).useBias(false)).apply(X0, X);
        // Row 0: [0, 2] * [1, 2] + [3, -1]; row 1: [8, 12] * [-1, 0.5] + [2, 2].
        assertThat(y.data()).containsExactly(3f, 3f, -6f, 8f);
    }

    @Test
    void diagScaleAddsAMultipleOfTheIdentityToTheKernel() {
        Tensor y = handSetFullRank(Cross.builder(2).diagScale(2f)).apply(X0, X);
        // Row 0: [0.5, 1] + 2 [3, -1] = [6.5, -1]; * x0 = [6.5, -2]; + x = [9.5, -3].
        // Row 1: [8.5, 11] + 2 [2, 2] = [12.5, 15]; * x0 = [-12.5, 7.5]; + x = [-10.5, 9.5].
        assertThat(y.data()).containsExactly(9.5f, -3f, -10.5f, 9.5f);
    }

    @Test
    void lowRankProjectsToTheRankAndBack() {
        Cross cross = Cross.lowRank("cross", 2, 1, new Rng(1));
        set(cross, "dense_u/kernel", 1, 2);
        set(cross, "dense_v/kernel", 1, -1);
        set(cross, "dense_v/bias", 0.5f, 0);
        Tensor y = cross.apply(X0, X);
        // Row 0: x . [1, 2] = 1; * [1, -1] = [1, -1]; + b = [1.5, -1]; * x0 = [1.5, -2]; + x = [4.5, -3].
        // Row 1: x . [1, 2] = 6; [6, -6] + b = [6.5, -6]; * x0 = [-6.5, -3]; + x = [-4.5, -1].
        assertThat(y.data()).containsExactly(4.5f, -3f, -4.5f, -1f);
    }

    @Test
    void keepsAnyLeadingShape() {
        Cross cross = Cross.fullRank("cross", 3, new Rng(2));
        Tensor x0 = TestTensors.random(new Rng(3), 2, 4, 3);
        assertThat(cross.apply(x0, x0).shape()).containsExactly(2, 4, 3);
    }

    @Test
    void parametersAreNamedAsInTfrsAndCounted() {
        Cross full = Cross.fullRank("cross", 5, new Rng(1));
        assertThat(full.namedParameters().keySet()).containsExactly("dense/kernel", "dense/bias");
        assertThat(full.parameterCount()).isEqualTo(5 * 5 + 5);
        assertThat(Cross.builder(5).useBias(false).build(new Rng(1)).parameterCount()).isEqualTo(5 * 5);

        Cross low = Cross.lowRank("cross", 6, 2, new Rng(1));
        assertThat(low.namedParameters().keySet()).containsExactly("dense_u/kernel", "dense_v/kernel", "dense_v/bias");
        assertThat(low.namedParameters().get("dense_u/kernel").shape()).containsExactly(6, 2);
        assertThat(low.namedParameters().get("dense_v/kernel").shape()).containsExactly(2, 6);
        assertThat(low.parameterCount()).isEqualTo(2 * 6 * 2 + 6);
        assertThat(Cross.builder(6).projectionDim(2).useBias(false).build(new Rng(1)).parameterCount())
                .isEqualTo(2 * 6 * 2);
    }

    @Test
    void startsFromAGlorotKernelAndAZeroBias() {
        Cross cross = Cross.fullRank("cross", 16, new Rng(4));
        float limit = (float) Math.sqrt(6.0 / (16 + 16));
        float max = 0f;
        for (float w : cross.namedParameters().get("dense/kernel").value().data()) {
            max = Math.max(max, Math.abs(w));
        }
        assertThat(max).isLessThanOrEqualTo(limit).isGreaterThan(0.8f * limit);
        assertThat(cross.namedParameters().get("dense/bias").value().data()).containsOnly(0f);
        // The same seed gives the same weights.
        assertThat(Cross.fullRank("cross", 16, new Rng(4)).namedParameters().get("dense/kernel").value().data())
                .containsExactly(cross.namedParameters().get("dense/kernel").value().data());
    }

    @Test
    void backwardMatchesFiniteDifferencesForEveryKindOfKernel() {
        GradientCheck check = new GradientCheck();
        long seed = 10;
        for (int projectionDim : new int[] {0, 2}) {
            for (boolean useBias : new boolean[] {true, false}) {
                for (float diagScale : new float[] {0f, 0.5f}) {
                    Rng rng = new Rng(seed++);
                    Cross cross = Cross.builder(4).projectionDim(projectionDim).useBias(useBias).diagScale(diagScale)
                            .biasInitializer(Initializer.uniform(-0.5f, 0.5f)).build(rng);
                    Tensor x0 = TestTensors.random(rng, 3, 4);
                    Tensor x = TestTensors.random(rng, 3, 4);
                    check.check(in -> cross.apply(in.get(0), in.get(1)), withParameters(cross, x0, x), seed);
                }
            }
        }
    }

    private static List<Tensor> withParameters(Cross cross, Tensor... inputs) {
        List<Tensor> all = new ArrayList<>(List.of(inputs));
        for (Parameter p : cross.parameters()) {
            all.add(p.value());
        }
        return all;
    }

    @Test
    void rejectsBadArgumentsNamingTheLayer() {
        assertThatThrownBy(() -> Cross.fullRank("c", 0, new Rng(1)))
                .hasMessage("cross 'c': dim must be positive, got 0");
        assertThatThrownBy(() -> Cross.lowRank("c", 4, 0, new Rng(1)))
                .hasMessage("cross 'c': rank must be positive, got 0");
        assertThatThrownBy(() -> Cross.builder(4).projectionDim(-1).build(new Rng(1)))
                .hasMessage("cross 'cross': projectionDim must be positive, or 0 for a full-rank kernel, got -1");
        assertThatThrownBy(() -> Cross.builder(4).diagScale(-1f).build(new Rng(1)))
                .hasMessage("cross 'cross': diagScale must be finite and at least 0, got -1.0");
        assertThatThrownBy(() -> Cross.builder(4).diagScale(Float.NaN).build(new Rng(1)))
                .hasMessage("cross 'cross': diagScale must be finite and at least 0, got NaN");
        assertThatThrownBy(() -> Cross.fullRank("c", 4, null)).hasMessage("cross 'c': rng must not be null");
        assertThatThrownBy(() -> Cross.fullRank("a/b", 4, new Rng(1)))
                .hasMessageContaining("name must be non-empty and without '/'");
    }

    @Test
    void rejectsInputsOfTheWrongCountOrShape() {
        Cross cross = Cross.fullRank("c", 2, new Rng(1));
        assertThatThrownBy(() -> cross.apply(X0)).hasMessage("cross 'c': needs two inputs, x0 and x, got 1");
        assertThatThrownBy(() -> cross.apply(X0, X, X)).hasMessage("cross 'c': needs two inputs, x0 and x, got 3");
        assertThatThrownBy(() -> cross.apply(Tensor.zeros(2, 3), Tensor.zeros(2, 3)))
                .hasMessage("cross 'c': expected x0 [..., 2], got [2, 3]");
        assertThatThrownBy(() -> cross.apply(Tensor.zeros(2, 2), Tensor.zeros(3, 2)))
                .hasMessage("cross 'c': x has shape [3, 2], x0 has [2, 2]: they must be equal");
        assertThatThrownBy(() -> cross.apply(Tensor.scalar(1f), Tensor.scalar(1f)))
                .hasMessage("cross 'c': expected x0 [..., 2], got []");
    }
}
