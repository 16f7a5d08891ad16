package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fused dense-layer op {@code act(x W + b)}: finite-difference gradient checks with and
 * without bias and relu, bit-for-bit agreement with the unfused {@code relu(add(matmul))} in
 * values and all three gradients, a hand-computed case, and errors that name the shapes.
 */
class LinearOpsTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 30)
    void linearGradient(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 6) int k,
                        @ForAll @IntRange(min = 1, max = 6) int n, @ForAll boolean withBias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        List<Tensor> in = inputs(rng, m, k, n, withBias, false);
        check.check(t -> Ops.linear(t.get(0), t.get(1), withBias ? t.get(2) : null), in, seed);
    }

    @Property(tries = 30)
    void linearReluGradient(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 6) int k,
                            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll boolean withBias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        List<Tensor> in = inputs(rng, m, k, n, withBias, true);
        check.check(t -> Ops.linearRelu(t.get(0), t.get(1), withBias ? t.get(2) : null), in, seed);
    }

    /**
     * Random {@code x [m, k]}, {@code W [k, n]} and optionally {@code b [n]}. For relu, each row of
     * x is drawn again until its pre-activations are all at least 0.02 from the kink: one
     * finite-difference step (0.01 on one input in [-1, 1]) moves none of them across it.
     */
    private static List<Tensor> inputs(Rng rng, int m, int k, int n, boolean withBias, boolean relu) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Tensor x = RandomTensors.uniform(rng, m, k);
            Tensor w = RandomTensors.uniform(rng, k, n);
            Tensor b = RandomTensors.uniform(rng, n);
            boolean ok = true;
            for (int i = 0; relu && ok && i < m; i++) {
                ok = false;
                for (int tries = 0; !ok && tries < 200; tries++) {
                    for (int p = 0; p < k; p++) {
                        x.data()[i * k + p] = rng.uniform(-1f, 1f);
                    }
                    ok = minAbsPreActivation(x, w, withBias ? b : null, i) >= 0.02f;
                }
            }
            if (ok) {
                return withBias ? List.of(x, w, b) : List.of(x, w);
            }
        }
        throw new IllegalStateException("no inputs away from the relu kink for " + m + "x" + k + "x" + n);
    }

    /** The smallest {@code |x[i] W + b|} over row {@code i}'s pre-activations. */
    private static float minAbsPreActivation(Tensor x, Tensor w, Tensor b, int i) {
        int k = w.dim(0);
        int n = w.dim(1);
        float min = Float.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float z = b == null ? 0f : b.data()[j];
            for (int p = 0; p < k; p++) {
                z += x.data()[i * k + p] * w.data()[p * n + j];
            }
            min = Math.min(min, Math.abs(z));
        }
        return min;
    }

    @Test
    void fusedEqualsUnfusedBitForBitForwardAndBackward() {
        // Sizes off the vector width, and one large enough for the blocked, threaded product.
        int[][] shapes = {{37, 19, 45}, {5, 3, 1}, {300, 96, 64}};
        for (int[] s : shapes) {
            for (boolean relu : new boolean[] {false, true}) {
                for (boolean withBias : new boolean[] {false, true}) {
                    Function<List<Tensor>, Tensor> fused = t -> relu
                            ? Ops.linearRelu(t.get(0), t.get(1), withBias ? t.get(2) : null)
                            : Ops.linear(t.get(0), t.get(1), withBias ? t.get(2) : null);
                    Function<List<Tensor>, Tensor> unfused = t -> {
                        Tensor y = Ops.matmul(t.get(0), t.get(1));
                        y = withBias ? Ops.add(y, t.get(2)) : y;
                        return relu ? Ops.relu(y) : y;
                    };
                    String what = (relu ? "linearRelu " : "linear ") + s[0] + "x" + s[1] + "x" + s[2]
                            + (withBias ? " with bias" : "");
                    List<float[]> a = valueAndGradients(fused, s, withBias);
                    List<float[]> b = valueAndGradients(unfused, s, withBias);
                    for (int i = 0; i < a.size(); i++) {
                        assertThat(bits(a.get(i))).as(what + ", array " + i).containsExactly(bits(b.get(i)));
                    }
                }
            }
        }
    }

    /** The output, then the gradients of x, W (and b) of {@code sum(f(x, W, b) * weights)}. */
    private static List<float[]> valueAndGradients(Function<List<Tensor>, Tensor> f, int[] s, boolean withBias) {
        Rng rng = new Rng(11);
        Tensor x = RandomTensors.uniform(rng, s[0], s[1]);
        Tensor w = RandomTensors.uniform(rng, s[1], s[2]);
        Tensor b = RandomTensors.uniform(rng, s[2]);
        Tensor weights = RandomTensors.uniform(rng, s[0], s[2]).requiresGrad(false);
        Tensor out;
        try (GradientTape tape = GradientTape.open()) {
            out = f.apply(List.of(x, w, b));
            tape.backward(Ops.sum(Ops.mul(out, weights)));
        }
        return withBias ? List.of(out.data(), x.grad(), w.grad(), b.grad()) : List.of(out.data(), x.grad(), w.grad());
    }

    private static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToRawIntBits(a[i]);
        }
        return out;
    }

    @Test
    void handComputedLayerAndGradients() {
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, -4}}).requiresGrad(true);
        Tensor w = Tensor.of(new float[][] {{1, -1}, {0.5f, 1}}).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {0, 1}, 2).requiresGrad(true);
        Tensor y;
        try (GradientTape tape = GradientTape.open()) {
            // x W = [[2, 1], [1, -7]]; + b = [[2, 2], [1, -6]]; relu = [[2, 2], [1, 0]].
            y = Ops.linearRelu(x, w, b);
            tape.backward(Ops.sum(y));
        }
        assertThat(y.data()).containsExactly(2f, 2f, 1f, 0f);
        // dz = [[1, 1], [1, 0]]: db = [2, 1]; dW = x^T dz = [[4, 1], [-2, 2]]; dx = dz W^T = [[0, 1.5], [1, 0.5]].
        assertThat(b.grad()).containsExactly(2f, 1f);
        assertThat(w.grad()).containsExactly(4f, 1f, -2f, 2f);
        assertThat(x.grad()).containsExactly(0f, 1.5f, 1f, 0.5f);
    }

    @Test
    void inputsThatNeedNoGradientGetNone() {
        Tensor x = Tensor.of(new float[][] {{1, 2}});
        Tensor w = Tensor.of(new float[][] {{1}, {1}}).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(Ops.linear(x, w, null)));
        }
        assertThat(x.grad()).isNull();
        assertThat(w.grad()).containsExactly(1f, 2f);
    }

    @Test
    void errorsNameTheShapes() {
        assertThatThrownBy(() -> Ops.linear(Tensor.zeros(4, 3), Tensor.zeros(2, 5), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("linear: input [4, 3], kernel [2, 5]: the kernel needs 3 rows, one per input column");
        assertThatThrownBy(() -> Ops.linearRelu(Tensor.zeros(4, 3), Tensor.zeros(3, 5), Tensor.zeros(4)))
                .hasMessage("linearRelu: kernel [3, 5], bias [4]: expected a bias of shape [5]");
        assertThatThrownBy(() -> Ops.linear(Tensor.zeros(2, 4, 3), Tensor.zeros(3, 5), null))
                .hasMessage("linear: input [2, 4, 3], kernel [3, 5]: both must be 2-D");
    }
}
